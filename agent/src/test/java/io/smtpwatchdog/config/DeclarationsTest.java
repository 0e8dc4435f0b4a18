package io.smtpwatchdog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpwatchdog.config.Declaration.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The options delivery, slotAcquire and slotRelease: operator-declared methods of the host's mail server. */
class DeclarationsTest {
    static final String FORM = "expected <type>#<method>(<parameter types>)@<domain argument>, as in "
            + "com.acme.mail.Relay#deliver(java.lang.String,..)@0";
    static final String ACQUIRE = "io.smtpwatchdog.demo.outbound.ConnectionLimiter#acquire(java.lang.String)@0";
    static final String RELEASE = "io.smtpwatchdog.demo.outbound.ConnectionLimiter#release(java.lang.String)@0";
    static final String DELIVER = "com.acme.mail.Relay#deliver(java.lang.String,..)@0";
    static final String SEND = "com.acme.Queue#send(com.acme.Job, int)@0";

    @TempDir
    Path dir;

    private static Declaration only(Settings settings) {
        assertEquals(1, settings.declarations().size(), settings.describe());
        return settings.declarations().get(0);
    }

    /** text, canonical form, type, method, parameter types joined by '|', any more, domain argument. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        ACQUIRE + ";" + ACQUIRE + ";io.smtpwatchdog.demo.outbound.ConnectionLimiter;acquire;java.lang.String;false;0",
        DELIVER + ";" + DELIVER + ";com.acme.mail.Relay;deliver;java.lang.String;true;0",
        SEND + ";com.acme.Queue#send(com.acme.Job,int)@0;com.acme.Queue;send;com.acme.Job|int;false;0",
        "com.acme.Outer$Inner#run(..)@3;com.acme.Outer$Inner#run(..)@3;com.acme.Outer$Inner;run;;true;3",
        "com.acme.Outer$Inner$1#call(java.lang.Object)@0;com.acme.Outer$Inner$1#call(java.lang.Object)@0;"
                + "com.acme.Outer$Inner$1;call;java.lang.Object;false;0",
        "Relay#deliver(java.lang.String[], byte[][],long)@2;Relay#deliver(java.lang.String[],byte[][],long)@2;Relay;"
                + "deliver;java.lang.String[]|byte[][]|long;false;2",
        "a.b.C#m( int ,\tlong , .. )@1;a.b.C#m(int,long,..)@1;a.b.C;m;int|long;true;1",
        "a.B#m(boolean,byte,char,short,int,long,float,double)@7;a.B#m(boolean,byte,char,short,int,long,float,double)@7;"
                + "a.B;m;boolean|byte|char|short|int|long|float|double;false;7",
        "a.B#m(..)@254;a.B#m(..)@254;a.B;m;;true;254",
        "a.B#m( .. )@0;a.B#m(..)@0;a.B;m;;true;0",
        "a.B#$m_1(java.lang.String)@00;a.B#$m_1(java.lang.String)@0;a.B;$m_1;java.lang.String;false;0",
        "com.\u00e5cme.R\u00e9lay#livrer(java.lang.String)@0;com.\u00e5cme.R\u00e9lay#livrer(java.lang.String)@0;"
                + "com.\u00e5cme.R\u00e9lay;livrer;java.lang.String;false;0",
        "_.$#_(_.$[])@0;_.$#_(_.$[])@0;_.$;_;_.$[];false;0",
        "a.B#lambda$deliver$0(java.lang.String, java.lang.Runnable)@0;"
                + "a.B#lambda$deliver$0(java.lang.String,java.lang.Runnable)@0;a.B;lambda$deliver$0;"
                + "java.lang.String|java.lang.Runnable;false;0",
    })
    void acceptedForms(String text, String canonical, String type, String method, String parameters, boolean anyMore,
            int domainArgument) throws Exception {
        Declaration declaration = only(new Inputs().argument("delivery=" + text).resolve());
        assertEquals(Kind.DELIVERY, declaration.kind());
        assertEquals(type, declaration.typeName());
        assertEquals(method, declaration.methodName());
        assertEquals(parameters == null ? List.of() : List.of(parameters.split("\\|")), declaration.parameterTypes());
        assertEquals(anyMore, declaration.anyMoreParameters());
        assertEquals(domainArgument, declaration.domainArgument());
        assertEquals(text, declaration.text());
        assertEquals(text, declaration.toString());
        assertEquals(canonical, declaration.canonical());
        assertTrue(new Inputs().argument("delivery=" + text).resolve().describe().endsWith(",delivery=" + canonical));
    }

    @Test
    void kindsNameTheirKeys() {
        assertEquals("delivery", Kind.DELIVERY.key());
        assertEquals("slotAcquire", Kind.SLOT_ACQUIRE.key());
        assertEquals("slotRelease", Kind.SLOT_RELEASE.key());
        for (Kind kind : Kind.values()) {
            assertTrue(Key.byText(kind.key()) != null, kind.key());
        }
    }

    static Stream<Arguments> everyKind() {
        return Stream.of(
                Arguments.of("delivery", "DELIVERY", Kind.DELIVERY),
                Arguments.of("slotAcquire", "SLOT_ACQUIRE", Kind.SLOT_ACQUIRE),
                Arguments.of("slotRelease", "SLOT_RELEASE", Kind.SLOT_RELEASE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKind")
    void everyKindFromEverySource(String key, String variable, Kind kind) throws Exception {
        String value = ACQUIRE + "  " + SEND + "\t" + DELIVER;
        Path file = Inputs.file(dir, "d.properties", key + " = " + value + "\n");
        Inputs[] inputs = {
            new Inputs().argument(key + "=" + value),
            new Inputs().property(key, value),
            new Inputs().variable(variable, value),
            new Inputs().argument("config=" + file),
        };
        String[] sources = {
            "agent argument", "system property smtpwatchdog." + key, "environment variable SMTPWATCHDOG_" + variable,
            "config file " + file,
        };
        for (int i = 0; i < inputs.length; i++) {
            Settings settings = inputs[i].resolve();
            assertEquals(sources[i], settings.sourceOf(key));
            List<Declaration> declarations = settings.declarations();
            assertEquals(List.of(ACQUIRE, SEND, DELIVER), declarations.stream().map(Declaration::text).toList());
            assertTrue(declarations.stream().allMatch(d -> d.kind() == kind), declarations.toString());
            assertTrue(settings.describe().contains("," + key + "=" + ACQUIRE
                    + " com.acme.Queue#send(com.acme.Job,int)@0 " + DELIVER), settings.describe());
        }
    }

    @Test
    void theBriefsAgentArgumentIsThreePairs() throws Exception {
        Settings settings = new Inputs()
                .argument("bannerTimeout=30s,delivery=com.acme.Relay#deliver(java.lang.String,..)@0,mode=monitor")
                .resolve();
        assertEquals(30_000, settings.bannerTimeoutMillis());
        assertEquals(Mode.MONITOR, settings.mode());
        assertEquals("com.acme.Relay#deliver(java.lang.String,..)@0", only(settings).text());
        assertEquals("agent argument", settings.sourceOf("delivery"));
    }

    @Test
    void aDeclaredSlotAcquireMakesTheHostWaitForItsHookUnlessStartupWaitIsGiven() throws Exception {
        // A slot taken before the acquire hook is live can never be given back: by default the host waits.
        assertEquals(5000, new Inputs().argument("slotAcquire=" + ACQUIRE).resolve().startupWaitMillis());
        assertEquals(0, new Inputs().argument("delivery=" + SEND).resolve().startupWaitMillis(),
                "a delivery alone needs no wait: its stuck sockets are rescued");
        assertEquals(0, new Inputs().argument("slotAcquire=" + ACQUIRE + ",startupWait=0ms").resolve()
                .startupWaitMillis(), "the operator's own value wins");
    }

    @Test
    void allThreeKeysAndSlotGraceInOneAgentArgument() throws Exception {
        Settings settings = new Inputs().argument("slotAcquire=" + ACQUIRE + ", slotGrace=500ms ,slotRelease=" + RELEASE
                + ",delivery=" + SEND + " " + DELIVER + ",ports=25+2525").resolve();
        assertEquals(500, settings.slotGraceMillis());
        assertEquals(List.of(Kind.DELIVERY, Kind.DELIVERY, Kind.SLOT_ACQUIRE, Kind.SLOT_RELEASE),
                settings.declarations().stream().map(Declaration::kind).toList(), "delivery, acquire, release");
        assertEquals(List.of(SEND, DELIVER, ACQUIRE, RELEASE),
                settings.declarations().stream().map(Declaration::text).toList());
        assertEquals("bannerTimeout=5m,mode=enforce,ports=25+2525,logLevel=info,maxDestinations=1000,startupWait=5s,"
                + "slotGrace=500ms,mailTimeout=5m,rcptTimeout=5m,dataTimeout=2m,dataEndTimeout=10m,commandTimeout=5m,delivery=com.acme.Queue#send(com.acme.Job,int)@0 " + DELIVER + ",slotAcquire="
                + ACQUIRE + ",slotRelease=" + RELEASE, settings.describe());
    }

    @Test
    void eachKeyFromADifferentSource() throws Exception {
        Path file = Inputs.file(dir, "r.properties", "slotRelease=" + RELEASE + "\n");
        Settings settings = new Inputs().argument("slotAcquire=" + ACQUIRE).variable("DELIVERY", DELIVER)
                .variable("CONFIG", file.toString()).resolve();
        assertEquals(List.of(DELIVER, ACQUIRE, RELEASE), settings.declarations().stream().map(Declaration::text).toList());
        assertEquals("environment variable SMTPWATCHDOG_DELIVERY", settings.sourceOf("delivery"));
        assertEquals("agent argument", settings.sourceOf("slotAcquire"));
        assertEquals("config file " + file, settings.sourceOf("slotRelease"));
    }

    @Test
    void aHigherSourceReplacesALowerOnesDeclarationsWhole() throws Exception {
        Path file = Inputs.file(dir, "low.properties", "delivery=" + DELIVER + " " + SEND + "\n");
        Settings settings = new Inputs().property("delivery", ACQUIRE).variable("DELIVERY", RELEASE)
                .argument("config=" + file).resolve();
        assertEquals(List.of(ACQUIRE), settings.declarations().stream().map(Declaration::text).toList());
        assertEquals("system property smtpwatchdog.delivery", settings.sourceOf("delivery"));
    }

    @Test
    void aMultiLineValueInTheConfigFile() throws Exception {
        Path file = Inputs.file(dir, "multi.properties", String.join("\n",
                "# the demo server's limiter, and a relay",
                "slotAcquire = " + ACQUIRE + " \\",
                "              com.acme.Limiter#tryAcquire(java.lang.String, long)@0",
                "slotRelease=" + RELEASE,
                "delivery=\\",
                "    " + DELIVER + " \\",
                "\t" + SEND + "\\",
                "",
                "slotGrace=1s",
                ""));
        Settings settings = new Inputs().argument("config=" + file).resolve();
        assertEquals(List.of(DELIVER, SEND, ACQUIRE, "com.acme.Limiter#tryAcquire(java.lang.String, long)@0", RELEASE),
                settings.declarations().stream().map(Declaration::text).toList());
        assertEquals(1000, settings.slotGraceMillis());
        assertEquals(List.of("java.lang.String", "long"), settings.declarations().get(3).parameterTypes());
    }

    @Test
    void newlinesAndTabsSeparateDeclarationsInPropertiesAndVariables() throws Exception {
        String value = "\n\t" + ACQUIRE + "\r\n\t" + SEND + "\n";
        for (Inputs inputs : new Inputs[] {new Inputs().property("slotAcquire", value),
            new Inputs().variable("SLOT_ACQUIRE", value)}) {
            assertEquals(List.of(ACQUIRE, SEND), inputs.resolve().declarations().stream().map(Declaration::text).toList());
        }
        Path file = Inputs.file(dir, "escaped.properties", "slotAcquire=" + ACQUIRE + "\\n\\t" + SEND + "\n");
        assertEquals(List.of(ACQUIRE, SEND), new Inputs().argument("config=" + file).resolve().declarations().stream()
                .map(Declaration::text).toList());
    }

    @Test
    void theSameMethodMayBeDeclaredUnderDifferentKindsAndOverloadsAreDistinct() throws Exception {
        Settings settings = new Inputs().argument("delivery=a.B#c(int)@0 a.B#c(long)@0 a.B#c(int,..)@0 a.B#d(int)@0"
                + ",slotAcquire=a.B#c(int)@0").resolve();
        assertEquals(5, settings.declarations().size());
    }

    @Test
    void listsAreUnmodifiable() throws Exception {
        Settings settings = new Inputs().argument("delivery=" + SEND).resolve();
        assertThrows(UnsupportedOperationException.class, () -> settings.declarations().clear());
        assertThrows(UnsupportedOperationException.class, () -> settings.declarations().get(0).parameterTypes().clear());
        assertThrows(UnsupportedOperationException.class, () -> Settings.defaults().declarations().add(null));
    }

    @Test
    void equalityIgnoresOptionalWhitespaceOnly() throws Exception {
        Declaration spaced = only(new Inputs().argument("delivery=" + SEND).resolve());
        Declaration tight = only(new Inputs().argument("delivery=com.acme.Queue#send(com.acme.Job,int)@0").resolve());
        assertEquals(spaced, tight);
        assertEquals(spaced.hashCode(), tight.hashCode());
        assertNotEquals(spaced.text(), tight.text());
        for (String other : new String[] {"com.acme.Queue#send(com.acme.Job,int)@1",
            "com.acme.Queue#send(com.acme.Job,int,..)@0", "com.acme.Queue#send(com.acme.Job,long)@0",
            "com.acme.Queue#post(com.acme.Job,int)@0", "com.acme.Queues#send(com.acme.Job,int)@0"}) {
            assertNotEquals(spaced, only(new Inputs().argument("delivery=" + other).resolve()), other);
        }
        assertNotEquals(spaced, only(new Inputs().argument("slotAcquire=" + SEND).resolve()), "kind counts");
        assertNotEquals(spaced, null);
        assertNotEquals(spaced, SEND);
    }

    @Test
    void describeRoundTrips() throws Exception {
        Path file = Inputs.file(dir, "rt.properties", "slotRelease=" + RELEASE + " a.B#c( int , .. )@9\n");
        Settings settings = new Inputs().argument("slotGrace=0ms,mailTimeout=5m,rcptTimeout=5m,dataTimeout=2m,dataEndTimeout=10m,commandTimeout=5m,delivery=" + SEND + "\t" + DELIVER + " "
                + "Relay#deliver(java.lang.String[], byte[][],long)@2,config=" + file).variable("SLOT_ACQUIRE", ACQUIRE)
                .resolve();
        String describe = settings.describe();
        assertEquals("bannerTimeout=5m,mode=enforce,ports=25+465+587+2525,logLevel=info,maxDestinations=1000,"
                + "startupWait=5s,slotGrace=0ms,mailTimeout=5m,rcptTimeout=5m,dataTimeout=2m,dataEndTimeout=10m,commandTimeout=5m,delivery=com.acme.Queue#send(com.acme.Job,int)@0 " + DELIVER
                + " Relay#deliver(java.lang.String[],byte[][],long)@2,slotAcquire=" + ACQUIRE + ",slotRelease=" + RELEASE
                + " a.B#c(int,..)@9,config=" + file, describe);
        Settings again = Options.resolve(describe, null, null);
        assertEquals(describe, again.describe());
        assertEquals(settings.declarations(), again.declarations());
        assertEquals(settings.slotGraceMillis(), again.slotGraceMillis());
        for (String argument : new String[] {"delivery=a.B#c(int)@0", "slotAcquire=a.B#c(..)@0", "slotGrace=1m",
            "slotRelease=a.B#c(int)@0 a.B#d(int)@0,delivery=x.Y#z(long,..)@254"}) {
            Settings first = Options.resolve(argument, null, null);
            Settings second = Options.resolve(first.describe(), null, null);
            assertEquals(first.describe(), second.describe());
            assertEquals(first.declarations(), second.declarations());
            assertEquals(first.slotGraceMillis(), second.slotGraceMillis());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Errors

    @Test
    void threeMessagesWordForWord() throws Exception {
        assertEquals("smtp-watchdog: bad option slotAcquire=" + ACQUIRE.replace("@0", "@1") + " (from agent argument):"
                + " domain argument @1 is out of range: the method declares 1 parameter (@0 is the first); " + FORM,
                new Inputs().argument("slotAcquire=" + ACQUIRE.replace("@0", "@1")).error());
        assertEquals("smtp-watchdog: bad option delivery=" + DELIVER + " com.acme.Queue#send(com.acme.Job,,int)@0 (from"
                + " environment variable SMTPWATCHDOG_DELIVERY): in declaration 'com.acme.Queue#send(com.acme.Job,,int)@0':"
                + " parameter 2 is empty (two commas in a row, or one at an end); " + FORM,
                new Inputs().variable("DELIVERY", DELIVER + " com.acme.Queue#send(com.acme.Job,,int)@0").error());
        Path file = Inputs.file(dir, "joined.properties", "slotRelease=" + RELEASE + "\\\n    a.B#c(int)@0\n");
        assertEquals("smtp-watchdog: bad option slotRelease=" + RELEASE + "a.B#c(int)@0 (from config file " + file
                + "): unexpected 'a.B#c(int)@0' after @0 (separate declarations with whitespace; in a properties file,"
                + " put a space before the '\\' that continues a line); " + FORM,
                new Inputs().argument("config=" + file).error());
    }

    /** A bad declaration, and what the message must say is wrong with it. */
    static Stream<Arguments> badDeclarations() {
        return Stream.of(
                Arguments.of("com.acme.Relay.deliver(java.lang.String)@0",
                        "it has no '#' between the type and the method name"),
                Arguments.of("com.acme.Relay", "it has no '#' between the type and the method name"),
                Arguments.of("deliver(java.lang.String#x)@0", "it has no '#' between the type and the method name"),
                Arguments.of("#deliver(int)@0", "it has no type before '#'"),
                Arguments.of("com..acme.Relay#deliver(int)@0", "bad type name 'com..acme.Relay': expected its binary"
                        + " name, Java identifiers separated by '.', as in com.acme.Outer$Inner"),
                Arguments.of(".com.acme.Relay#deliver(int)@0", "bad type name '.com.acme.Relay'"),
                Arguments.of("com.acme.Relay.#deliver(int)@0", "bad type name 'com.acme.Relay.'"),
                Arguments.of("com.acme.9Relay#deliver(int)@0", "bad type name 'com.acme.9Relay'"),
                Arguments.of("com.acme-mail.Relay#deliver(int)@0", "bad type name 'com.acme-mail.Relay'"),
                Arguments.of("int#deliver(int)@0", "bad type name 'int'"),
                Arguments.of("com/acme/Relay#deliver(int)@0", "bad type name 'com/acme/Relay': expected its binary"
                        + " name, Java identifiers separated by '.', not '/', as in com.acme.Outer$Inner"),
                Arguments.of("com.acme.Relay#deliver@0",
                        "it has no parameter list after the method name: write () for none, or (..) for any"),
                Arguments.of("com.acme.Relay#deliver", "it has no parameter list after the method name"),
                Arguments.of("com.acme.Relay#(int)@0", "it has no method name between '#' and '('"),
                Arguments.of("com.acme.Relay#<init>(java.lang.String)@0",
                        "constructors (<init>) are not supported, only methods"),
                Arguments.of("com.acme.Relay#<clinit>()@0",
                        "class initializers (<clinit>) are not supported, only methods"),
                Arguments.of("com.acme.Relay#deli-ver(int)@0", "bad method name 'deli-ver': expected a Java identifier"),
                Arguments.of("com.acme.Relay#a#b(int)@0", "bad method name 'a#b'"),
                Arguments.of("com.acme.Relay#a.b(int)@0", "bad method name 'a.b'"),
                Arguments.of("com.acme.Relay#9lives(int)@0", "bad method name '9lives'"),
                Arguments.of("com.acme.Relay#deliver(int@0", "its parameter list is not closed with ')'"),
                Arguments.of("com.acme.Relay#deliver(", "its parameter list is not closed with ')'"),
                Arguments.of("com.acme.Relay#deliver((int))@0",
                        "its parameter list is not closed with ')' before the next '('"),
                Arguments.of("com.acme.Relay#deliver(int))@0",
                        "its parentheses do not balance: a ')' has no '(' before it"),
                Arguments.of("com.acme.Relay#deliver)int(@0", "its parentheses do not balance: a ')' has no '('"),
                Arguments.of("com.acme.Relay#deliver(int)(long)@0", "it has more than one parameter list"),
                Arguments.of("com.acme.Relay#deliver(int,,long)@0",
                        "parameter 2 is empty (two commas in a row, or one at an end)"),
                Arguments.of("com.acme.Relay#deliver(,int)@0", "parameter 1 is empty"),
                Arguments.of("com.acme.Relay#deliver(int,)@0", "parameter 2 is empty"),
                Arguments.of("com.acme.Relay#deliver(int, ,long)@0", "parameter 2 is empty"),
                Arguments.of("com.acme.Relay#deliver(,)@0", "parameter 1 is empty"),
                Arguments.of("com.acme.Relay#deliver(..,int)@0",
                        "'..' must be the last parameter: it stands for any further ones"),
                Arguments.of("com.acme.Relay#deliver(..,..)@0", "'..' must be the last parameter"),
                Arguments.of("com.acme.Relay#deliver(...)@0",
                        "bad parameter type '...': write .. for any further parameters"),
                Arguments.of("com.acme.Relay#deliver(.)@0", "bad parameter type '.'"),
                Arguments.of("com.acme.Relay#deliver(String)@0",
                        "parameter type 'String' is not fully qualified: write java.lang.String"),
                Arguments.of("com.acme.Relay#deliver(int,Object[])@0",
                        "parameter type 'Object[]' is not fully qualified: write java.lang.Object[]"),
                Arguments.of("com.acme.Relay#deliver(java.lang.String...)@0", "bad parameter type"
                        + " 'java.lang.String...': declare a variable-arity parameter as an array, as in java.lang.String[]"),
                Arguments.of("com.acme.Relay#deliver(java.util.List<java.lang.String>)@0",
                        "bad parameter type 'java.util.List<java.lang.String>': leave out type arguments"),
                Arguments.of("com.acme.Relay#deliver(void)@0", "bad parameter type 'void': expected a fully qualified"
                        + " type name, a primitive, or an array of those, as in java.lang.String[]"),
                Arguments.of("com.acme.Relay#deliver(int[)@0", "bad parameter type 'int['"),
                Arguments.of("com.acme.Relay#deliver(int[]])@0", "bad parameter type 'int[]]'"),
                Arguments.of("com.acme.Relay#deliver([Ljava.lang.String;)@0", "bad parameter type '[Ljava.lang.String;'"),
                Arguments.of("com.acme.Relay#deliver(java.lang. String)@0", "bad parameter type 'java.lang. String'"),
                Arguments.of("com.acme.Relay#deliver(java.lang.String)",
                        "it has no domain argument: end it with @n, n the 0-based index of the argument that carries"
                                + " the domain"),
                Arguments.of("com.acme.Relay#deliver(java.lang.String)0",
                        "unexpected '0' after the parameter list, where @<domain argument> belongs"),
                Arguments.of("com.acme.Relay#deliver(java.lang.String)x@0", "unexpected 'x@0' after the parameter list"),
                Arguments.of("com.acme.Relay#deliver(java.lang.String)@", "'@' is followed by nothing, not by a"
                        + " non-negative whole number, the 0-based index of the domain argument"),
                Arguments.of("com.acme.Relay#deliver(java.lang.String)@-1", "'@' is followed by '-1', not by a"
                        + " non-negative whole number"),
                Arguments.of("com.acme.Relay#deliver(java.lang.String)@x", "'@' is followed by 'x'"),
                Arguments.of("com.acme.Relay#deliver(java.lang.String)@@0", "'@' is followed by '@0'"),
                Arguments.of("com.acme.Relay#deliver(java.lang.String)@1",
                        "domain argument @1 is out of range: the method declares 1 parameter (@0 is the first)"),
                Arguments.of("com.acme.Relay#deliver()@0",
                        "domain argument @0 is out of range: the method declares no parameters (@0 is the first)"),
                Arguments.of("com.acme.Relay#deliver( )@0", "domain argument @0 is out of range: the method declares"
                        + " no parameters"),
                Arguments.of("com.acme.Relay#deliver(int,long)@2", "domain argument @2 is out of range: the method"
                        + " declares 2 parameters (@0 is the first)"),
                Arguments.of("com.acme.Relay#deliver(int)@99999999999999999999999",
                        "domain argument @99999999999999999999999 is out of range: the method declares 1 parameter"),
                Arguments.of("com.acme.Relay#deliver(..)@255",
                        "domain argument @255 is out of range: a Java method has at most 255 parameters"),
                Arguments.of("com.acme.Relay#deliver(int,..)@99999999999999999999999",
                        "domain argument @99999999999999999999999 is out of range: a Java method has at most 255"
                                + " parameters"),
                Arguments.of("com.acme.Relay#deliver(int)@0x", "unexpected 'x' after @0"),
                Arguments.of("com.acme.Relay#deliver(int)@0;", "unexpected ';' after @0"),
                Arguments.of("com.acme.Relay#deliver(int)@0)", "unexpected ')' after @0"),
                Arguments.of("com.acme.Relay#deliver(int)@0a.B#c(int)@0", "unexpected 'a.B#c(int)@0' after @0"
                        + " (separate declarations with whitespace; in a properties file, put a space before the '\\'"
                        + " that continues a line)"));
    }

    /** Whether every ')' closes an earlier '(' and every '(' is closed. */
    private static boolean balanced(String text) {
        int depth = 0;
        for (char c : text.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /** Whether a '(' is left open at the end, counting as the splitter of declarations does. */
    private static boolean leavesOpen(String text) {
        int depth = 0;
        for (char c : text.toCharArray()) {
            depth = c == '(' ? depth + 1 : c == ')' ? Math.max(0, depth - 1) : depth;
        }
        return depth > 0;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDeclarations")
    void badDeclarationInAgentArgument(String declaration, String problem) {
        if (!balanced(declaration)) {
            // The agent argument's splitter finds these first; it names the pair.
            new Inputs().argument("mode=monitor,delivery=" + declaration).errorNaming("bad option 'delivery="
                    + declaration, "(from agent argument): its parentheses do not balance");
            return;
        }
        for (String key : new String[] {"delivery", "slotAcquire", "slotRelease"}) {
            String message = new Inputs().argument("mode=monitor," + key + "=" + declaration)
                    .errorNaming("bad option " + key + "=" + declaration + " (from agent argument): " + problem);
            assertTrue(message.endsWith("; " + FORM), message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDeclarations")
    void badDeclarationInSystemProperty(String declaration, String problem) {
        String message = new Inputs().property("slotAcquire", declaration).errorNaming("bad option slotAcquire="
                + declaration + " (from system property smtpwatchdog.slotAcquire): " + problem);
        assertTrue(message.endsWith("; " + FORM), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDeclarations")
    void badDeclarationInEnvironment(String declaration, String problem) {
        String message = new Inputs().variable("SLOT_RELEASE", declaration).errorNaming("bad option slotRelease="
                + declaration + " (from environment variable SMTPWATCHDOG_SLOT_RELEASE): " + problem);
        assertTrue(message.endsWith("; " + FORM), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDeclarations")
    void badDeclarationInConfigFile(String declaration, String problem) throws Exception {
        Path file = Inputs.file(dir, "bad.properties", "delivery=" + declaration + "\n");
        String message = new Inputs().argument("config=" + file).errorNaming("bad option delivery=" + declaration
                + " (from config file " + file + "): " + problem);
        assertTrue(message.endsWith("; " + FORM), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDeclarations")
    void badDeclarationAmongGoodOnesIsNamed(String declaration, String problem) {
        String value = ACQUIRE + " " + declaration + " " + RELEASE;
        if (leavesOpen(declaration)) {
            // An unclosed '(' runs on into the next declaration, as whitespace inside parentheses does not separate.
            new Inputs().variable("DELIVERY", value).errorNaming("in declaration '" + declaration + " " + RELEASE + "': "
                    + problem);
            return;
        }
        new Inputs().variable("DELIVERY", value).errorNaming("bad option delivery=" + value.substring(0, 120) + "...",
                "(from environment variable SMTPWATCHDOG_DELIVERY): in declaration '" + declaration + "': " + problem, FORM);
    }

    @Test
    void aLongDeclarationIsNamedWholeThoughTheValueIsCutShort() {
        String declaration = "com.example.mailserver.outbound.smtp.SmtpDeliveryAgent#deliverMessage("
                + "com.example.mailserver.queue.QueuedMessage, java.lang.String, int)@3";
        assertTrue(declaration.length() > 120);
        new Inputs().argument("delivery=" + declaration).errorNaming(
                "bad option delivery=" + declaration.substring(0, 120) + "... (from agent argument): in declaration '"
                        + declaration + "': domain argument @3 is out of range: the method declares 3 parameters");
    }

    @Test
    void commasBetweenDeclarationsOutsideTheAgentArgument() throws Exception {
        String value = ACQUIRE + "," + RELEASE;
        new Inputs().property("slotAcquire", value).errorNaming("(from system property smtpwatchdog.slotAcquire): "
                + "in declaration '" + value + "': unexpected '," + RELEASE + "' after @0 (separate declarations with"
                + " whitespace, not ',');");
        // In the agent argument the ',' ends the pair, and what follows is no key=value pair.
        new Inputs().argument("slotAcquire=" + value).errorNaming("bad option '" + RELEASE + "' (from agent argument)");
    }

    @Test
    void duplicatesWithinAKind() throws Exception {
        new Inputs().argument("delivery=a.B#c(int)@0 " + SEND + " a.B#c( int )@0").errorNaming(
                "bad option delivery=a.B#c(int)@0 " + SEND + " a.B#c( int )@0 (from agent argument): declaration"
                        + " 'a.B#c( int )@0' names the same method as 'a.B#c(int)@0' before it (declare each method once); "
                        + FORM);
        new Inputs().variable("SLOT_RELEASE", "a.B#c(int,int)@0 a.B#c(int,int)@1").errorNaming(
                "(from environment variable SMTPWATCHDOG_SLOT_RELEASE): declaration 'a.B#c(int,int)@1' names the same"
                        + " method as 'a.B#c(int,int)@0' before it, with another domain argument (declare each"
                        + " method once); " + FORM);
        new Inputs().property("slotAcquire", "a.B#c(..)@0\na.B#c( .. )@0").errorNaming("declaration 'a.B#c( .. )@0'"
                + " names the same method as 'a.B#c(..)@0'");
        Path file = Inputs.file(dir, "dup.properties", "slotAcquire=" + ACQUIRE + " \\\n  " + ACQUIRE + "\n");
        new Inputs().argument("config=" + file).errorNaming("(from config file " + file + "): declaration '" + ACQUIRE
                + "' names the same method as '" + ACQUIRE + "' before it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"delivery", "slotAcquire", "slotRelease"})
    void emptyAndBlankValues(String key) throws Exception {
        new Inputs().argument(key + "=").errorNaming("bad option " + key + "= (from agent argument): the value is"
                + " empty; " + FORM);
        new Inputs().property(key, " \t\n ").errorNaming("bad option " + key + "= (from system property smtpwatchdog."
                + key + "): the value is empty; " + FORM);
        Path file = Inputs.file(dir, "empty.properties", key + "=\\\n   \n");
        new Inputs().argument("config=" + file).errorNaming("bad option " + key + "= (from config file " + file
                + "): the value is empty");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bannerTimeout=30s,delivery=com.acme.Relay#deliver(java.lang.String,..@0,mode=monitor|bad option"
                + " 'delivery=com.acme.Relay#deliver(java.lang.String,..@0,mode=monitor' (from agent argument): its"
                + " parentheses do not balance, a '(' is never closed, so every ',' after it is taken as part of the value",
        "delivery=com.acme.Relay#deliver(java.lang.String))@0,mode=monitor|bad option"
                + " 'delivery=com.acme.Relay#deliver(java.lang.String))@0' (from agent argument): its parentheses do not"
                + " balance, a ')' has no '(' before it",
        "delivery=com.acme.Relay#deliverjava.lang.String)@0|bad option 'delivery=com.acme.Relay#deliverjava.lang.String)@0'"
                + " (from agent argument): its parentheses do not balance",
    })
    void unbalancedParenthesesInTheAgentArgumentNameThePair(String argument, String start) {
        String message = new Inputs().argument(argument).errorNaming("smtp-watchdog: " + start);
        assertTrue(message.endsWith(OptionErrorsTest.PARENTHESES), message);
    }

    @Test
    void overriddenDeclarationsAreCheckedToo() throws Exception {
        Path file = Inputs.file(dir, "low.properties", "slotRelease=a.B#c(int)@1\n");
        new Inputs().argument("slotRelease=" + RELEASE + ",config=" + file).errorNaming(
                "bad option slotRelease=a.B#c(int)@1 (from config file " + file + ")");
    }

    @Test
    void randomDeclarationsGiveSettingsOrOneLineOptionErrorsOnly() {
        SplittableRandom random = new SplittableRandom(5321);
        String[] pieces = {"#", "(", ")", "@", "..", ".", ",", " ", "\t", "\n", "0", "1", "255", "-", "a", "B", "$",
            "java.lang.String", "int", "[]", "[", "<init>", "...", "delivery=", "slotAcquire=", "slotRelease=",
            "mode=monitor", "a.B#c(int)@0", "\u00e9", "\u0000", "\\", " x.Y#z(..)@3 ", ",delivery=a.B#c(int, ..)@1 "};
        int valid = 0;
        for (int i = 0; i < 30_000; i++) {
            StringBuilder argument = new StringBuilder(random.nextBoolean() ? "delivery=" : "slotAcquire=");
            for (int n = random.nextInt(14); n > 0; n--) {
                argument.append(pieces[random.nextInt(pieces.length)]);
            }
            Settings settings;
            try {
                settings = Options.resolve(argument.toString(), null, null);
            } catch (OptionError e) {
                assertTrue(e.getMessage().startsWith("smtp-watchdog: ") && e.getMessage().lines().count() == 1,
                        e.getMessage());
                assertFalse(e.getMessage().contains("could not read options"), e.getMessage());
                continue;
            }
            valid++;
            try {
                Settings again = Options.resolve(settings.describe(), null, null);
                assertEquals(settings.describe(), again.describe(), argument.toString());
                assertEquals(settings.declarations(), again.declarations(), argument.toString());
            } catch (OptionError e) {
                throw new AssertionError("describe() of '" + argument + "' does not parse back: " + e.getMessage());
            }
        }
        assertTrue(valid > 100, "some random arguments should be valid: " + valid);
    }
}
