package dev.weir.cli.review;

/** One kind of risky change, looked for in every object a pull request changes. */
interface RiskRule {

  void check(Change change, Risks risks);
}
