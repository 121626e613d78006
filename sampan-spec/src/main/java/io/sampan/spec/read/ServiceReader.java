package io.sampan.spec.read;

import io.sampan.spec.Autoscale;
import io.sampan.spec.DurationText;
import io.sampan.spec.Expose;
import io.sampan.spec.Health;
import io.sampan.spec.Memory;
import io.sampan.spec.PortSpec;
import io.sampan.spec.Resources;
import io.sampan.spec.Runtime;
import io.sampan.spec.ServiceSpec;
import io.sampan.spec.VolumeSpec;
import io.sampan.spec.yaml.YamlNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code spec.services.<name>}. */
final class ServiceReader {
    static final Set<String> FIELDS = Set.of("image", "runtime", "command", "args", "port", "ports", "replicas", "resources",
            "env", "config", "health", "dependsOn", "addons", "expose", "autoscale", "placement", "stateful", "volumes");
    static final Set<String> PORT_FIELDS = Set.of("name", "port", "protocol");
    static final Set<String> HEALTH_FIELDS = Set.of("http", "tcp", "exec", "port", "startupSeconds");
    static final Set<String> EXPOSE_FIELDS = Set.of("host", "path", "tls");
    static final Set<String> TLS_FIELDS = Set.of("secret");
    static final Set<String> AUTOSCALE_FIELDS = Set.of("min", "max", "cpu", "memory", "cooldown");
    static final Set<String> VOLUME_FIELDS = Set.of("name", "path", "size", "storageClass");
    static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");
    static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+");
    static final Pattern HTTP_PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");
    static final Pattern FILE_PATH = Pattern.compile("(/[A-Za-z0-9._@+-]+)+");
    static final int MAX_REPLICAS = 1000;
    /** Port of the static-files runtime when none is given (an unprivileged web server). */
    static final int STATIC_DEFAULT_PORT = 8080;

    private ServiceReader() {
    }

    static ServiceSpec read(Fields.Named named, Diagnostics d) {
        Fields f = Fields.of(named.node(), named.path(), d, "a service", FIELDS);
        if (f == null) {
            return null;
        }
        String image = ContainerReader.image(f);
        Runtime runtime = runtime(f);
        Integer port = f.integer("port", 1, 65535);
        if (port == null && !f.has("port") && runtime == Runtime.STATIC) {
            port = STATIC_DEFAULT_PORT;
        }
        List<PortSpec> ports = f.objects("ports", n -> port(n, d));
        checkPorts(f, port, ports);
        Integer replicas = f.integer("replicas", 0, MAX_REPLICAS);
        Resources resources = ContainerReader.resources(f, Resources.DEFAULT);
        Map<String, String> config = f.stringMap("config", FILE_PATH, "an absolute file path such as /app/config/application.yaml");
        Health health = f.has("health") ? health(f, port) : null;
        List<Expose> expose = f.objects("expose", n -> expose(n, d));
        Autoscale autoscale = f.has("autoscale") ? autoscale(f) : null;
        boolean stateful = f.bool("stateful", false);
        List<VolumeSpec> volumes = f.objects("volumes", n -> volume(n, d));
        if (!volumes.isEmpty() && !stateful) {
            d.error(f.path("volumes"), f.at("volumes"), "volumes need a stateful service",
                    "add `stateful: true`: each instance then gets its own persistent volume and a stable identity");
        }
        checkUnique(f, "volumes", volumes.stream().map(VolumeSpec::name).toList(), "volume name");
        checkUnique(f, "volumes", volumes.stream().map(VolumeSpec::path).toList(), "volume path");
        if (port == null && !f.has("port") && !expose.isEmpty()) {
            d.error(f.path("expose"), f.at("expose"), "a service without a port cannot be exposed",
                    "set `port:` to the port the process listens on, or remove `expose`");
        }
        if (autoscale != null && replicas != null && (replicas < autoscale.min() || replicas > autoscale.max())) {
            d.warning(f.path("replicas"), f.at("replicas"), "replicas " + replicas + " is outside autoscale's "
                    + autoscale.min() + ".." + autoscale.max() + "; the autoscaler decides the count", "remove `replicas` or bring it within range");
        }
        if (runtime == Runtime.JAVA && resources.memory().compareTo(Memory.ofMebibytes(256)) < 0) {
            d.warning(f.path("resources.memory"), f.at("resources"), "a JVM with less than 256Mi of memory will hardly start",
                    "give a java service at least 512Mi");
        }
        List<String> command = f.strings("command");
        List<String> args = f.strings("args");
        int count = replicas != null ? replicas : autoscale != null ? autoscale.min() : 1;
        return new ServiceSpec(named.name(), image, runtime, command, args, port, ports, count, resources,
                ContainerReader.env(f), config, health, f.strings("dependsOn"), f.strings("addons"), expose, autoscale,
                ContainerReader.placement(f), stateful, volumes);
    }

    private static Runtime runtime(Fields f) {
        String id = f.string("runtime");
        if (id == null) {
            return null;
        }
        Runtime r = Runtime.fromId(id);
        if (r == null) {
            String close = Diagnostics.closest(id, Runtime.ids());
            f.diagnostics().error(f.path("runtime"), f.at("runtime"), "unknown runtime \"" + id + "\"",
                    (close != null ? "did you mean \"" + close + "\"? " : "") + "known runtimes: " + String.join(", ", Runtime.ids()));
        }
        return r;
    }

    private static PortSpec port(Fields.Named n, Diagnostics d) {
        Fields f = Fields.of(n.node(), n.path(), d, "a port", PORT_FIELDS);
        if (f == null) {
            return null;
        }
        String name = f.requiredString("name", "grpc");
        if (name != null && !PORT_NAME.matcher(name).matches()) {
            d.error(f.path("name"), f.at("name"), "\"" + name + "\" is not a valid port name",
                    "at most 15 lower-case letters, digits and '-', with at least one letter (e.g. `grpc`)");
            name = null;
        }
        Integer number = f.integer("port", 1, 65535);
        if (number == null && !f.has("port")) {
            d.error(f.path("port"), n.node(), "\"port\" is required", "for example `{name: grpc, port: 9090}`");
        }
        PortSpec.Protocol protocol = PortSpec.Protocol.TCP;
        String p = f.string("protocol");
        if (p != null) {
            protocol = switch (p) {
                case "http" -> PortSpec.Protocol.HTTP;
                case "grpc" -> PortSpec.Protocol.GRPC;
                case "tcp" -> PortSpec.Protocol.TCP;
                case "udp" -> PortSpec.Protocol.UDP;
                default -> {
                    d.error(f.path("protocol"), f.at("protocol"), "unknown protocol \"" + p + "\"", "one of http, grpc, tcp, udp");
                    yield null;
                }
            };
        }
        return name == null || number == null || protocol == null ? null : new PortSpec(name, number, protocol);
    }

    private static void checkPorts(Fields f, Integer main, List<PortSpec> ports) {
        Set<Integer> numbers = new HashSet<>();
        if (main != null) {
            numbers.add(main);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            PortSpec p = ports.get(i);
            String path = f.path("ports") + "[" + i + "]";
            if (p.name().equals("http")) {
                f.diagnostics().error(path + ".name", f.at("ports"), "the port name \"http\" is reserved for the main `port`",
                        "choose another name, e.g. `admin`");
            }
            if (!names.add(p.name())) {
                f.diagnostics().error(path + ".name", f.at("ports"), "port name \"" + p.name() + "\" is used twice", null);
            }
            if (!numbers.add(p.port())) {
                f.diagnostics().error(path + ".port", f.at("ports"), "port " + p.port() + " is used twice",
                        main != null && main == p.port() ? "it is already the main `port`" : null);
            }
        }
    }

    private static Health health(Fields f, Integer mainPort) {
        Diagnostics d = f.diagnostics();
        Fields h = Fields.of(f.raw("health"), f.path("health"), d, "a health check", HEALTH_FIELDS);
        if (h == null) {
            return null;
        }
        String http = h.matching("http", HTTP_PATH, "an HTTP path starting with /", "/actuator/health");
        boolean tcp = h.bool("tcp", false);
        List<String> exec = h.strings("exec");
        Integer port = h.integer("port", 1, 65535);
        Integer startup = h.integer("startupSeconds", 1, 3600);
        int kinds = (h.has("http") ? 1 : 0) + (tcp ? 1 : 0) + (h.has("exec") ? 1 : 0);
        if (kinds != 1) {
            d.error(f.path("health"), f.raw("health"), kinds == 0 ? "a health check needs one of http, tcp or exec"
                    : "a health check takes only one of http, tcp or exec", "for example `health: {http: /healthz}`");
        }
        if ((http != null || tcp) && !h.has("port") && mainPort == null && !f.has("port")) {
            d.error(f.path("health"), f.raw("health"), "an http or tcp health check needs a port",
                    "set the service's `port`, or `health.port`");
        }
        if (h.has("exec") && exec.isEmpty()) {
            d.error(f.path("health.exec"), h.at("exec"), "the health command is empty", "for example `exec: [pg_isready]`");
        }
        return new Health(http, tcp, exec, port, startup);
    }

    private static Expose expose(Fields.Named n, Diagnostics d) {
        Fields f = Fields.of(n.node(), n.path(), d, "an exposure", EXPOSE_FIELDS);
        if (f == null) {
            return null;
        }
        String host = f.matching("host", HOST, "a DNS host name such as shop.example.com", "shop.example.com");
        String path = f.matching("path", HTTP_PATH, "a URL path starting with /", "/");
        String tls = null;
        YamlNode tlsNode = f.raw("tls");
        if (tlsNode instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.BOOLEAN) {
            tls = Boolean.TRUE.equals(f.bool("tls")) ? "" : null;
        } else if (tlsNode instanceof YamlNode.MapNode) {
            Fields t = Fields.of(tlsNode, f.path("tls"), d, "a TLS setting", TLS_FIELDS);
            tls = t == null ? null : t.matching("secret", AddonReader.SECRET_NAME, "a Secret name", "shop-example-com-tls");
        } else if (tlsNode != null && !(tlsNode instanceof YamlNode.Scalar s2 && s2.isNull())) {
            d.error(f.path("tls"), tlsNode, "expected true, false or {secret: NAME}, got " + Fields.describe(tlsNode), null);
        }
        if (tls != null && host == null) {
            d.error(f.path("tls"), tlsNode, "TLS needs an explicit host", "add `host:`");
        }
        return new Expose(host, path == null ? "/" : path, tls);
    }

    private static Autoscale autoscale(Fields f) {
        Diagnostics d = f.diagnostics();
        Fields a = Fields.of(f.raw("autoscale"), f.path("autoscale"), d, "an autoscale setting", AUTOSCALE_FIELDS);
        if (a == null) {
            return null;
        }
        Integer min = a.integer("min", 1, MAX_REPLICAS);
        Integer max = a.integer("max", 1, MAX_REPLICAS);
        if (max == null && !a.has("max")) {
            d.error(f.path("autoscale.max"), f.raw("autoscale"), "\"max\" is required", "for example `autoscale: {min: 2, max: 10}`");
        }
        Integer cpu = a.integer("cpu", 1, 100);
        Integer memory = a.integer("memory", 1, 100);
        Duration cooldown = Autoscale.DEFAULT_COOLDOWN;
        String cooldownText = a.string("cooldown");
        if (cooldownText != null) {
            cooldown = DurationText.parse(cooldownText).filter(c -> c.toSeconds() <= 3600).orElse(null);
            if (cooldown == null) {
                d.error(f.path("autoscale.cooldown"), a.at("cooldown"), "expected a duration of at most 1h such as \"5m\" or \"90s\", got \""
                        + cooldownText + "\"", null);
            }
        }
        int lo = min == null ? 1 : min;
        if (max != null && lo > max) {
            d.error(f.path("autoscale"), f.raw("autoscale"), "min " + lo + " is greater than max " + max, null);
        }
        if (max == null || cooldown == null) {
            return null;
        }
        return new Autoscale(lo, max, cpu == null && memory == null ? Integer.valueOf(Autoscale.DEFAULT_CPU) : cpu, memory, cooldown);
    }

    private static VolumeSpec volume(Fields.Named n, Diagnostics d) {
        Fields f = Fields.of(n.node(), n.path(), d, "a volume", VOLUME_FIELDS);
        if (f == null) {
            return null;
        }
        String name = f.requiredString("name", "data");
        if (name != null && (!Fields.DNS_LABEL.matcher(name).matches() || name.length() > 40)) {
            d.error(f.path("name"), f.at("name"), "\"" + name + "\" is not a valid volume name", "lower-case letters, digits and '-', e.g. `data`");
            name = null;
        }
        String path = f.requiredString("path", "/var/lib/data");
        if (path != null && !Fields.matches(FILE_PATH, path)) {
            d.error(f.path("path"), f.at("path"), "expected an absolute directory path, got \"" + path + "\"", "e.g. `/var/lib/data`");
            path = null;
        }
        String sizeText = f.requiredString("size", "10Gi");
        Memory size = sizeText == null ? null : Memory.parse(sizeText).filter(m -> m.bytes() >= Memory.MI).orElse(null);
        if (sizeText != null && size == null) {
            d.error(f.path("size"), f.at("size"), "expected a storage size such as \"10Gi\", got \"" + sizeText + "\"", null);
        }
        String storageClass = f.matching("storageClass", AddonReader.SECRET_NAME, "a StorageClass name", "ssd");
        return name == null || path == null || size == null ? null : new VolumeSpec(name, path, size, storageClass);
    }

    private static void checkUnique(Fields f, String key, List<String> values, String what) {
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (!seen.add(v)) {
                f.diagnostics().error(f.path(key), f.at(key), what + " \"" + v + "\" is used twice", null);
            }
        }
    }
}
