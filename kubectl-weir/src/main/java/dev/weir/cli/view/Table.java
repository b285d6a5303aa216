package dev.weir.cli.view;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns like kubectl's: left-aligned, three spaces apart. The STATUS column is styled (colour and
 * symbol on a terminal) without upsetting the alignment.
 */
public final class Table {

  private final List<String> header;
  private final int statusColumn;
  private final Style style;
  private final int[] widths;

  public Table(List<String> header, Style style) {
    this.header = header;
    this.statusColumn = header.indexOf("STATUS");
    this.style = style;
    this.widths = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      widths[i] = header.get(i).length();
    }
  }

  /** Widens the columns to fit these rows. */
  public Table fit(List<List<String>> rows) {
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], width(i, row.get(i)));
      }
    }
    return this;
  }

  public String header() {
    return line(header, true);
  }

  public String row(List<String> cells) {
    fit(List.of(cells));
    return line(cells, false);
  }

  private int width(int column, String cell) {
    return column == statusColumn ? style.width(cell) : cell.length();
  }

  private String line(List<String> cells, boolean header) {
    var parts = new ArrayList<String>();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      String shown = !header && i == statusColumn ? style.status(cell) : cell;
      int pad = widths[i] - (header ? cell.length() : width(i, cell));
      parts.add(i == cells.size() - 1 ? shown : shown + " ".repeat(pad));
    }
    return String.join("   ", parts).stripTrailing();
  }
}
