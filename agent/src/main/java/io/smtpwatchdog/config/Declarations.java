package io.smtpwatchdog.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parses the value of {@code delivery}, {@code slotAcquire} and {@code slotRelease}: one or more
 * {@link Declaration}s separated by whitespace, each {@code <type>#<method>(<parameter types>)@<domain argument>}.
 *
 * <p>Whitespace inside parentheses does not separate declarations, so {@code com.acme.Queue#send(com.acme.Job, int)@0}
 * is one. Every mistake is refused, never guessed at: a declaration that names no method of the server would
 * silently do nothing, which is worse than a host that starts without the agent and says why.
 */
final class Declarations {
    /** The accepted form, as quoted in error messages. */
    static final String FORM = "<type>#<method>(<parameter types>)@<domain argument>, as in "
            + "com.acme.mail.Relay#deliver(java.lang.String,..)@0";

    /** A JVM method has at most 255 parameters (JVMS 4.3.3), so its last argument has index 254. */
    static final int MAX_DOMAIN_ARGUMENT = 254;

    /** Declarations are longer than most values; show one whole where the usual limit would cut it. */
    private static final int MAX_SHOWN = 300;

    private static final String ANY_MORE = "..";

    private static final String UNBALANCED = "its parentheses do not balance: a ')' has no '(' before it";

    private static final String[] PRIMITIVES = {"boolean", "byte", "char", "short", "int", "long", "float", "double"};

    /**
     * java.lang types an operator may write unqualified out of habit; the JVM knows them only by their full name, so
     * {@code String} would match nothing. (A class of the default package so named is not worth the confusion.)
     */
    private static final String[] JAVA_LANG = {"String", "Object", "CharSequence", "Integer", "Long", "Boolean",
        "Byte", "Character", "Short", "Float", "Double", "Number"};

    private Declarations() {
    }

    /**
     * Parses {@code option}'s value, which is not empty.
     *
     * @return the declarations in the order written, unmodifiable, at least one
     */
    static List<Declaration> parse(RawOption option, Declaration.Kind kind) throws OptionError {
        List<String> texts = split(option.text);
        // Naming the declaration is only needed when the value holds more than it, or is too long to show whole.
        boolean name = texts.size() > 1 || !Messages.shown(option.text).equals(option.text);
        List<Declaration> declarations = new ArrayList<Declaration>(texts.size());
        String[] problem = new String[1];
        for (String text : texts) {
            Declaration declaration = parseOne(kind, text, problem);
            if (declaration == null) {
                throw bad(option, name ? text : null, problem[0]);
            }
            for (Declaration earlier : declarations) {
                if (earlier.sameMethodAs(declaration)) {
                    throw bad(option, null, "declaration '" + Messages.shown(text, MAX_SHOWN)
                            + "' names the same method as '" + Messages.shown(earlier.text(), MAX_SHOWN) + "' before it"
                            + (earlier.domainArgument() == declaration.domainArgument() ? ""
                                    : ", with another domain argument") + " (declare each method once)");
                }
            }
            declarations.add(declaration);
        }
        return Collections.unmodifiableList(declarations);
    }

    private static OptionError bad(RawOption option, String declaration, String problem) {
        return Messages.badValue(option, declaration == null ? problem
                : "in declaration '" + Messages.shown(declaration, MAX_SHOWN) + "': " + problem, FORM);
    }

    /** Splits at whitespace outside parentheses, so that {@code (com.acme.Job, int)} stays whole. */
    static List<String> split(String value) {
        List<String> texts = new ArrayList<String>();
        int depth = 0;
        int start = -1;
        for (int i = 0; i <= value.length(); i++) {
            boolean end = i == value.length();
            char c = end ? ' ' : value.charAt(i);
            // The end of the value ends the last declaration, even one whose '(' is still open.
            if (isSpace(c) && (depth == 0 || end)) {
                if (start >= 0) {
                    texts.add(value.substring(start, i));
                    start = -1;
                }
                continue;
            }
            if (start < 0) {
                start = i;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            }
        }
        return texts;
    }

    /**
     * Parses one declaration, which holds no whitespace outside parentheses, left to right, so that the problem
     * reported is the first one an operator reading it would meet.
     *
     * @return the declaration, or null with what is wrong in {@code problem[0]}
     */
    private static Declaration parseOne(Declaration.Kind kind, String text, String[] problem) {
        int hash = text.indexOf('#');
        int open = text.indexOf('(');
        int firstClose = text.indexOf(')');
        if (hash < 0 || (open >= 0 && open < hash)) {
            problem[0] = "it has no '#' between the type and the method name";
            return null;
        }
        if (firstClose >= 0 && (open < 0 || firstClose < open)) {
            problem[0] = UNBALANCED;
            return null;
        }
        String typeName = text.substring(0, hash);
        problem[0] = typeName.isEmpty() ? "it has no type before '#'" : badTypeName(typeName);
        if (problem[0] != null) {
            return null;
        }
        if (open < 0) {
            problem[0] = "it has no parameter list after the method name: write () for none, or (..) for any";
            return null;
        }
        String methodName = text.substring(hash + 1, open);
        problem[0] = badMethodName(methodName);
        if (problem[0] != null) {
            return null;
        }
        int close = firstClose;
        int nested = text.indexOf('(', open + 1);
        if (close < 0 || (nested >= 0 && nested < close)) {
            problem[0] = "its parameter list is not closed with ')'" + (nested >= 0 ? " before the next '('" : "");
            return null;
        }
        List<String> parameterTypes = new ArrayList<String>();
        problem[0] = parameters(text.substring(open + 1, close), parameterTypes);
        if (problem[0] != null) {
            return null;
        }
        boolean anyMore = !parameterTypes.isEmpty() && parameterTypes.get(parameterTypes.size() - 1).equals(ANY_MORE);
        if (anyMore) {
            parameterTypes.remove(parameterTypes.size() - 1);
        }
        int[] domainArgument = new int[1];
        problem[0] = domainArgument(text.substring(close + 1), parameterTypes.size(), anyMore, domainArgument);
        if (problem[0] != null) {
            return null;
        }
        return new Declaration(kind, typeName, methodName, Collections.unmodifiableList(parameterTypes), anyMore,
                domainArgument[0], text);
    }

    private static String badTypeName(String typeName) {
        if (isQualifiedName(typeName) && !isKeyword(typeName)) {
            return null;
        }
        return "bad type name '" + Messages.shown(typeName) + "': expected its binary name, Java identifiers separated"
                + " by '.'" + (typeName.indexOf('/') >= 0 ? ", not '/'" : "") + ", as in com.acme.Outer$Inner";
    }

    private static String badMethodName(String methodName) {
        if (methodName.isEmpty()) {
            return "it has no method name between '#' and '('";
        }
        if (methodName.equals("<init>")) {
            return "constructors (<init>) are not supported, only methods";
        }
        if (methodName.equals("<clinit>")) {
            return "class initializers (<clinit>) are not supported, only methods";
        }
        if (!isIdentifier(methodName, 0, methodName.length())) {
            return "bad method name '" + Messages.shown(methodName) + "': expected a Java identifier";
        }
        return null;
    }

    /**
     * Parses the text between the parentheses into {@code types}, {@code ..} included.
     *
     * @return null, or what is wrong
     */
    private static String parameters(String list, List<String> types) {
        if (isBlank(list)) {
            return null;
        }
        int start = 0;
        int position = 1;
        while (start <= list.length()) {
            int end = list.indexOf(',', start);
            if (end < 0) {
                end = list.length();
            }
            String type = strip(list.substring(start, end));
            if (!types.isEmpty() && types.get(types.size() - 1).equals(ANY_MORE)) {
                return "'..' must be the last parameter: it stands for any further ones";
            }
            String problem = type.isEmpty()
                    ? "parameter " + position + " is empty (two commas in a row, or one at an end)"
                    : type.equals(ANY_MORE) ? null : badParameterType(type);
            if (problem != null) {
                return problem;
            }
            types.add(type);
            start = end + 1;
            position++;
        }
        return null;
    }

    private static String badParameterType(String type) {
        int end = type.length();
        while (end >= 2 && type.charAt(end - 2) == '[' && type.charAt(end - 1) == ']') {
            end -= 2;
        }
        String element = type.substring(0, end);
        if (isPrimitive(element) || (isQualifiedName(element) && !isKeyword(element))) {
            for (String unqualified : JAVA_LANG) {
                if (unqualified.equals(element)) {
                    return "parameter type '" + Messages.shown(type) + "' is not fully qualified: write java.lang."
                            + Messages.shown(type);
                }
            }
            return null;
        }
        String hint = type.equals("...") ? ": write .. for any further parameters"
                : type.endsWith("...")
                ? ": declare a variable-arity parameter as an array, as in " + Messages.shown(
                        type.substring(0, type.length() - 3)) + "[]"
                : type.indexOf('<') >= 0 ? ": leave out type arguments, as in java.util.List"
                : ": expected a fully qualified type name, a primitive, or an array of those, as in java.lang.String[]";
        return "bad parameter type '" + Messages.shown(type) + "'" + hint;
    }

    /**
     * Parses what follows the parameter list: {@code @n} and nothing else.
     *
     * @return null, or what is wrong
     */
    private static String domainArgument(String rest, int declared, boolean anyMore, int[] index) {
        if (rest.isEmpty()) {
            return "it has no domain argument: end it with @n, n the 0-based index of the argument that carries the"
                    + " domain";
        }
        if (rest.charAt(0) == ')') {
            return UNBALANCED;
        }
        if (rest.charAt(0) == '(') {
            return "it has more than one parameter list";
        }
        if (rest.charAt(0) != '@') {
            return "unexpected '" + Messages.shown(rest) + "' after the parameter list, where @<domain argument>"
                    + " belongs";
        }
        int digitsEnd = 1;
        long value = 0;
        while (digitsEnd < rest.length() && rest.charAt(digitsEnd) >= '0' && rest.charAt(digitsEnd) <= '9') {
            value = Math.min(value * 10 + (rest.charAt(digitsEnd) - '0'), MAX_DOMAIN_ARGUMENT + 1);
            digitsEnd++;
        }
        if (digitsEnd == 1) {
            return "'@' is followed by " + (rest.length() == 1 ? "nothing" : "'" + Messages.shown(rest.substring(1))
                    + "'") + ", not by a non-negative whole number, the 0-based index of the domain argument";
        }
        String number = rest.substring(1, digitsEnd);
        if (digitsEnd < rest.length()) {
            String junk = rest.substring(digitsEnd);
            return "unexpected '" + Messages.shown(junk) + "' after @" + number
                    + (junk.charAt(0) == ',' ? " (separate declarations with whitespace, not ',')"
                    : junk.indexOf('#') >= 0 ? " (separate declarations with whitespace; in a properties file, put a"
                            + " space before the '\\' that continues a line)"
                    : "");
        }
        if (!anyMore && value >= declared) {
            return "domain argument @" + Messages.shown(number) + " is out of range: the method declares "
                    + (declared == 0 ? "no parameters" : declared == 1 ? "1 parameter" : declared + " parameters")
                    + " (@0 is the first)";
        }
        if (value > MAX_DOMAIN_ARGUMENT) {
            return "domain argument @" + Messages.shown(number) + " is out of range: a Java method has at most "
                    + (MAX_DOMAIN_ARGUMENT + 1) + " parameters";
        }
        index[0] = (int) value;
        return null;
    }

    /** Java identifiers separated by {@code .}: {@code com.acme.Outer$Inner}. */
    private static boolean isQualifiedName(String name) {
        int start = 0;
        while (true) {
            int end = name.indexOf('.', start);
            if (end < 0) {
                end = name.length();
            }
            if (!isIdentifier(name, start, end)) {
                return false;
            }
            if (end == name.length()) {
                return true;
            }
            start = end + 1;
        }
    }

    private static boolean isIdentifier(String text, int start, int end) {
        if (start >= end) {
            return false;
        }
        for (int i = start; i < end; ) {
            int c = text.codePointAt(i);
            boolean ok = i == start ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c);
            // isJavaIdentifierPart also admits "ignorable" control characters, which no operator means to type.
            if (!ok || Character.isIdentifierIgnorable(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static boolean isPrimitive(String name) {
        for (String primitive : PRIMITIVES) {
            if (primitive.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A primitive's name or {@code void} standing alone, which no class is called. */
    private static boolean isKeyword(String name) {
        return name.equals("void") || isPrimitive(name);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static boolean isBlank(String text) {
        return strip(text).isEmpty();
    }

    /** Trims whitespace only (String.trim() would also drop other control characters, hiding them). */
    private static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }
}
