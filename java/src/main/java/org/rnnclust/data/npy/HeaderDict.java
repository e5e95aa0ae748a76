package org.rnnclust.data.npy;

import static org.rnnclust.data.npy.NpyFormat.bad;
import static org.rnnclust.data.npy.NpyFormat.printable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnclust.InputException;

/**
 * An .npy header: a Python dict literal of string keys and values that are strings, True/False or
 * tuples of integers, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}.
 * A list value (a structured dtype) is read as null and refused by the caller.
 */
final class HeaderDict {
    private final String text;
    private final String source;
    private int i;

    private HeaderDict(String text, String source) {
        this.text = text.strip();
        this.source = source;
    }

    /** The dict's entries in order: String, Boolean, List of Long, or null for a list. */
    static Map<String, Object> parse(String text, String source) {
        return new HeaderDict(text, source).dict();
    }

    private Map<String, Object> dict() {
        Map<String, Object> dict = new LinkedHashMap<>();
        expect('{');
        while (peek() != '}') {
            String key = string();
            expect(':');
            if (dict.containsKey(key)) throw fail("key '" + printable(key) + "' appears twice");
            dict.put(key, value());
            if (peek() == ',') i++;
            else if (peek() != '}') throw fail("expected ',' or '}'");
        }
        i++;
        if (i != text.length()) throw fail("text after the closing '}'");
        return dict;
    }

    private Object value() {
        char c = peek();
        if (c == '\'' || c == '"') return string();
        if (c == '(') return tuple();
        if (c == '[') {
            skipBracketed();
            return null;
        }
        if (text.startsWith("True", i)) {
            i += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("False", i)) {
            i += 5;
            return Boolean.FALSE;
        }
        throw fail("unexpected value");
    }

    private List<Long> tuple() {
        expect('(');
        List<Long> values = new ArrayList<>();
        while (peek() != ')') {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i)) && i - start < 12) i++;
            if (i == start || (i < text.length() && Character.isDigit(text.charAt(i)))) {
                throw fail("shape holds something other than sizes");
            }
            values.add(Long.parseLong(text, start, i, 10));
            if (i < text.length() && text.charAt(i) == 'L') i++;  // Python 2 long
            if (peek() == ',') i++;
            else if (peek() != ')') throw fail("expected ',' or ')' in the shape");
        }
        i++;
        return values;
    }

    private String string() {
        char quote = peek();
        if (quote != '\'' && quote != '"') throw fail("expected a quoted key");
        int end = text.indexOf(quote, ++i);
        if (end < 0) throw fail("unterminated string");
        String s = text.substring(i, end);
        i = end + 1;
        return s;
    }

    private void skipBracketed() {
        int depth = 0;
        do {
            char c = peek();
            if (c == '[' || c == '(') depth++;
            else if (c == ']' || c == ')') depth--;
            i++;
        } while (depth > 0);
    }

    private void expect(char c) {
        if (peek() != c) throw fail("expected '" + c + "'");
        i++;
    }

    /** The next character after spaces; fails at the end of the text. */
    private char peek() {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
        if (i >= text.length()) throw fail("header ends early");
        return text.charAt(i);
    }

    private InputException fail(String problem) {
        return bad(source, "bad .npy header (" + problem + " at character " + i + "): " + printable(text));
    }
}
