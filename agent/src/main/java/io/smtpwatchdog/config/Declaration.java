package io.smtpwatchdog.config;

import java.util.List;

/**
 * One operator-declared method of the host's own mail server, from option {@code delivery}, {@code slotAcquire} or
 * {@code slotRelease}. Immutable.
 *
 * <p>Written {@code <type>#<method>(<parameter types>)@<domain argument>}, as in
 * {@code io.smtpwatchdog.demo.outbound.ConnectionLimiter#acquire(java.lang.String)@0} or
 * {@code com.acme.mail.Relay#deliver(java.lang.String,..)@0}:
 * <ul>
 *   <li>{@code <type>}: the binary name of the class, Java identifiers separated by {@code .}, with {@code $} for
 *       nested classes: {@code com.acme.Outer$Inner};</li>
 *   <li>{@code <method>}: the method's name, a Java identifier (constructors, {@code <init>}, are not supported);</li>
 *   <li>{@code <parameter types>}: separated by {@code ,} (spaces around it allowed), each a fully qualified type
 *       name, a primitive such as {@code int}, or an array of those ({@code java.lang.String[]}, {@code byte[][]});
 *       {@code ..} as the last element stands for any further parameters, so {@code (..)} matches any list and
 *       {@code ()} only an empty one (which leaves no argument to carry the domain, so no {@code @n} fits it);</li>
 *   <li>{@code @<domain argument>}: required, the 0-based index of the argument that carries the mail domain; below
 *       the number of declared parameters, unless the list ends with {@code ..} (then at most 254, as no Java method
 *       has more than 255 parameters, and whether the argument exists is up to the method matched).</li>
 * </ul>
 * An option's value may hold several declarations separated by whitespace.
 *
 * <p>Two declarations are {@link #equals equal} when they are of the same kind and say the same thing, however
 * they were spaced: {@code a.B#c(int, long)@0} equals {@code a.B#c(int,long)@0}.
 */
public final class Declaration {
    /** Which option a declaration came from, and so what the agent does with the method. */
    public enum Kind {
        /** Sockets connected while the method runs belong to the domain in its argument, whatever their port. */
        DELIVERY("delivery"),
        /** The server's own per-domain connection counter takes a slot for the domain in its argument. */
        SLOT_ACQUIRE("slotAcquire"),
        /** The server's own per-domain connection counter gives back a slot for the domain in its argument. */
        SLOT_RELEASE("slotRelease");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /**
         * The option this kind of declaration is given in.
         *
         * @return {@code "delivery"}, {@code "slotAcquire"} or {@code "slotRelease"}
         */
        public String key() {
            return key;
        }
    }

    private final Kind kind;
    private final String typeName;
    private final String methodName;
    private final List<String> parameterTypes;
    private final boolean anyMoreParameters;
    private final int domainArgument;
    private final String text;

    /** Only {@link Declarations#parse} makes these, from checked parts; {@code parameterTypes} is unmodifiable. */
    Declaration(Kind kind, String typeName, String methodName, List<String> parameterTypes,
            boolean anyMoreParameters, int domainArgument, String text) {
        this.kind = kind;
        this.typeName = typeName;
        this.methodName = methodName;
        this.parameterTypes = parameterTypes;
        this.anyMoreParameters = anyMoreParameters;
        this.domainArgument = domainArgument;
        this.text = text;
    }

    /**
     * The option the declaration was given in.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The binary name of the declaring class.
     *
     * @return e.g. {@code "io.smtpwatchdog.demo.outbound.ConnectionLimiter"} or {@code "com.acme.Outer$Inner"}
     */
    public String typeName() {
        return typeName;
    }

    /**
     * The method's name.
     *
     * @return e.g. {@code "acquire"}
     */
    public String methodName() {
        return methodName;
    }

    /**
     * The declared parameter types, in order, without the trailing {@code ..}.
     *
     * @return unmodifiable; e.g. {@code ["java.lang.String"]}, {@code ["int", "byte[][]"]}, or empty for {@code ()}
     *     and {@code (..)}
     */
    public List<String> parameterTypes() {
        return parameterTypes;
    }

    /**
     * Whether the parameter list ended with {@code ..}, so that a method with further parameters after the declared
     * ones matches too.
     *
     * @return true for {@code (java.lang.String,..)} and {@code (..)}
     */
    public boolean anyMoreParameters() {
        return anyMoreParameters;
    }

    /**
     * The 0-based index of the argument that carries the mail domain.
     *
     * @return below {@code parameterTypes().size()}, unless {@link #anyMoreParameters()}; never above 254
     */
    public int domainArgument() {
        return domainArgument;
    }

    /**
     * The declaration as the operator wrote it, trimmed, for messages.
     *
     * @return e.g. {@code "com.acme.Queue#send(com.acme.Job, int)@0"}
     */
    public String text() {
        return text;
    }

    /**
     * The declaration without optional whitespace, as {@link Settings#describe()} writes it:
     * {@code com.acme.Queue#send(com.acme.Job,int)@0}.
     */
    String canonical() {
        StringBuilder canonical = new StringBuilder(text.length());
        canonical.append(typeName).append('#').append(methodName).append('(');
        for (int i = 0; i < parameterTypes.size(); i++) {
            canonical.append(i == 0 ? "" : ",").append(parameterTypes.get(i));
        }
        if (anyMoreParameters) {
            canonical.append(parameterTypes.isEmpty() ? ".." : ",..");
        }
        return canonical.append(")@").append(domainArgument).toString();
    }

    /** Whether {@code other} names the same method pattern (kind aside), whatever its domain argument. */
    boolean sameMethodAs(Declaration other) {
        return typeName.equals(other.typeName) && methodName.equals(other.methodName)
                && parameterTypes.equals(other.parameterTypes) && anyMoreParameters == other.anyMoreParameters;
    }

    /**
     * Equal when of the same kind and the same in every part but {@link #text()}'s optional whitespace.
     *
     * @param other any object
     * @return whether {@code other} is an equal declaration
     */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Declaration)) {
            return false;
        }
        Declaration that = (Declaration) other;
        return kind == that.kind && sameMethodAs(that) && domainArgument == that.domainArgument;
    }

    @Override
    public int hashCode() {
        return ((kind.hashCode() * 31 + typeName.hashCode()) * 31 + methodName.hashCode()) * 31
                + parameterTypes.hashCode() + (anyMoreParameters ? 1 : 0) + 7 * domainArgument;
    }

    /**
     * Same as {@link #text()}.
     *
     * @return the declaration as written, trimmed
     */
    @Override
    public String toString() {
        return text;
    }
}
