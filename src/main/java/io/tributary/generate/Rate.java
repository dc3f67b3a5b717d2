package io.tributary.generate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A send rate as written on the command line: {@code 1000/s}, {@code 30/m}, {@code 5/h}. */
public record Rate(double perSecond) {
    private static final Pattern PATTERN = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s*/\\s*(s|m|h)\\s*$");

    public Rate {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a rate must be positive");
        }
    }

    public static Rate parse(String text) {
        Matcher m = PATTERN.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate; write records per unit, such as 1000/s, 30/m or 5/h");
        }
        double value = Double.parseDouble(m.group(1));
        double divisor = switch (m.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3600;
            default -> throw new IllegalStateException();
        };
        return new Rate(value / divisor);
    }
}
