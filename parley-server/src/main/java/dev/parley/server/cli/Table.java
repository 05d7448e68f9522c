package dev.parley.server.cli;

import java.io.PrintStream;
import java.util.List;

/** Plain left-aligned columns, two spaces apart, for list commands (and for {@code grep}/{@code awk}). */
final class Table {
    private Table() {
    }

    static void print(PrintStream out, List<String> header, List<String[]> rows, String whenEmpty) {
        if (rows.isEmpty()) {
            out.println("(" + whenEmpty + ")");
            return;
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        line(out, header.toArray(String[]::new), width);
        rows.forEach(r -> line(out, r, width));
    }

    private static void line(PrintStream out, String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            sb.append(cells[i]);
            if (i < cells.length - 1) {
                sb.append(" ".repeat(width[i] - cells[i].length() + 2));
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
