package dev.weir.analysis;

import java.util.Arrays;

/**
 * The Hodges-Lehmann estimate of the shift between two samples: the median of all pairwise
 * differences. It is the shift the Mann-Whitney U test is about, in the metric's own unit, and
 * unlike the difference of the medians it uses every point. Pure.
 */
final class HodgesLehmann {

  private HodgesLehmann() {}

  /** The median of {@code x[i] - y[j]} over all pairs; both samples must have a point. */
  static double shift(double[] x, double[] y) {
    double[] differences = new double[x.length * y.length];
    int k = 0;
    for (double xi : x) {
      for (double yj : y) {
        differences[k++] = xi - yj;
      }
    }
    return median(differences);
  }

  /** The median of a non-empty sample: the mean of the two middle points when they are even. */
  static double median(double[] sample) {
    double[] sorted = sample.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
