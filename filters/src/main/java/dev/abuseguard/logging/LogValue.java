package dev.abuseguard.logging;

import java.util.regex.Pattern;

/**
 * Values for structured log lines ({@code event=ban user=42 detail="..."}). Anything an admin, a client or a
 * failing peer wrote (a ban reason, an error message, a user id under a lax pattern) may hold a line break or a
 * quote, which would end the line or the value early and let the writer forge what follows. Every structured
 * line passes such values through here: {@link #quoted} always quotes and escapes, {@link #token} leaves plain
 * tokens as they are and quotes anything else.
 */
public final class LogValue {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:@/+~,\\[\\]-]+");

    private LogValue() {
    }

    /** {@code "text"}, with backslash, quote, and every control or line-separating character escaped. */
    public static String quoted(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** The value as it is when it is one plain token (an id, a name, a number), otherwise {@link #quoted}. */
    public static String token(Object value) {
        String text = String.valueOf(value);
        return PLAIN.matcher(text).matches() ? text : quoted(text);
    }
}
