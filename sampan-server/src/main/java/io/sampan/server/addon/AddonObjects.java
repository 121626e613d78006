package io.sampan.server.addon;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of an addon instance, per provider, and the connection Secret an app
 * binds to. Pure: no credentials in here. Secrets are rendered empty, marked with
 * {@value #CREDENTIALS}; {@link AddonCredentials} fills them in as they are applied, so no
 * password is ever part of a release (stored, shown by the API or diffed).
 */
final class AddonObjects {
    /** Annotation of a Secret to fill in at apply time: {@code <instance id>/server} or {@code <instance id>/connection}. */
    static final String CREDENTIALS = "sampan.io/addon-credentials";
    static final String ADDON_LABEL = "sampan.io/addon";
    static final String TRIGGER = "sampan.io/trigger";
    static final String PREREQUISITE = "prerequisite";
    private static final KubernetesSerialization KUBE = new KubernetesSerialization();

    private AddonObjects() {
    }

    /** What the instance itself needs in the cluster (nothing for an external one). */
    static List<HasMetadata> of(AddonInstance i, AddonCatalog.Entry e, String namespace, String environment) {
        return switch (i.provider()) {
            case TEMPLATE -> template(i, e, namespace, environment);
            case OPERATOR -> List.of(secret(i, i.secretName(), namespace, environment, "server"), operator(i, e, namespace, environment));
            case EXTERNAL -> List.of();
        };
    }

    /** The Secret {@code name} an app's services read their {@code <ALIAS>_*} variables from. */
    static Secret binding(AddonInstance i, String name, String namespace, String environment) {
        return secret(i, name, namespace, environment, "connection");
    }

    private static Secret secret(AddonInstance i, String name, String namespace, String environment, String role) {
        ObjectMeta meta = meta(i, name, namespace, environment);
        meta.getAnnotations().put(CREDENTIALS, i.id() + "/" + role);
        return new SecretBuilder().withMetadata(meta).withType("Opaque").build();
    }

    private static ObjectMeta meta(AddonInstance i, String name, String namespace, String environment) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", i.type());
        labels.put("app.kubernetes.io/instance", i.resourceName());
        labels.put("app.kubernetes.io/component", "addon");
        labels.put("app.kubernetes.io/managed-by", "sampan");
        labels.put(ADDON_LABEL, i.name());
        labels.put("sampan.io/environment", environment);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(TRIGGER, PREREQUISITE);
        annotations.put("sampan.io/addon-provider", i.provider().id());
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels).withAnnotations(annotations).build();
    }

    private static List<HasMetadata> template(AddonInstance i, AddonCatalog.Entry e, String namespace, String environment) {
        AddonCatalog.Plan plan = e.plans().get(i.plan());
        AddonCatalog.Template t = e.template();
        Map<String, String> selector = Map.of(ADDON_LABEL, i.name());
        Service service = new ServiceBuilder().withMetadata(meta(i, i.resourceName(), namespace, environment)).withNewSpec()
                .withSelector(selector).addNewPort().withName(i.type()).withPort(e.port()).withTargetPort(new IntOrString(e.port())).endPort()
                .endSpec().build();
        Service headless = new ServiceBuilder().withMetadata(meta(i, i.resourceName() + "-hl", namespace, environment)).withNewSpec()
                .withClusterIP("None").withPublishNotReadyAddresses(true).withSelector(selector).addNewPort().withName(i.type())
                .withPort(e.port()).withTargetPort(new IntOrString(e.port())).endPort().endSpec().build();
        Map<String, Quantity> resources = Map.of("cpu", new Quantity(plan.cpu()), "memory", new Quantity(plan.memory()));
        Container c = new ContainerBuilder().withName(i.type()).withImage(e.versions().get(i.version()).image())
                .withArgs(t.args() == null ? List.of() : t.args()).withEnv(env(i, t)).addNewPort().withName(i.type()).withContainerPort(e.port())
                .endPort().withNewResources().withRequests(resources).withLimits(resources).endResources()
                .addNewVolumeMount().withName("data").withMountPath(t.dataPath()).endVolumeMount()
                .withReadinessProbe(readiness(t.readiness(), e.port())).build();
        StatefulSet set = new StatefulSetBuilder().withMetadata(meta(i, i.resourceName(), namespace, environment)).withNewSpec()
                .withReplicas(plan.replicas()).withServiceName(i.resourceName() + "-hl").withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(meta(i, null, null, environment).getLabels()).endMetadata()
                .withNewSpec().withContainers(c).endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity(plan.storage())).endResources().endSpec().endVolumeClaimTemplate()
                .endSpec().build();
        return List.of(secret(i, i.secretName(), namespace, environment, "server"), headless, service, set);
    }

    private static List<EnvVar> env(AddonInstance i, AddonCatalog.Template t) {
        List<EnvVar> env = new ArrayList<>();
        Map<String, String> values = Connection.nonSecret(i);
        (t.env() == null ? Map.<String, String>of() : t.env()).forEach((name, source) -> env.add(source.startsWith("=")
                ? new EnvVar(name, Connection.fill(source.substring(1), values), null)
                : new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(i.secretName()).withKey(source)
                        .endSecretKeyRef().endValueFrom().build()));
        return env;
    }

    private static Probe readiness(AddonCatalog.Readiness r, int port) {
        ProbeBuilder p = new ProbeBuilder().withInitialDelaySeconds(r == null ? 0 : r.initialDelaySeconds()).withPeriodSeconds(5);
        if (r != null && r.exec() != null && !r.exec().isEmpty()) {
            return p.withNewExec().withCommand(r.exec()).endExec().build();
        }
        return p.withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket().build();
    }

    private static HasMetadata operator(AddonInstance i, AddonCatalog.Entry e, String namespace, String environment) {
        AddonCatalog.Plan plan = e.plans().get(i.plan());
        Map<String, String> values = new LinkedHashMap<>(Connection.nonSecret(i));
        values.put("name", i.resourceName());
        values.put("secret", i.secretName());
        values.put("version", i.version());
        values.put("replicas", Integer.toString(plan.replicas()));
        values.put("cpu", plan.cpu());
        values.put("memory", plan.memory());
        values.put("storage", plan.storage());
        HasMetadata cr = KUBE.unmarshal(Connection.fill(e.operator().resource(), values));
        ObjectMeta meta = meta(i, i.resourceName(), namespace, environment);
        if (cr.getMetadata().getLabels() != null) {
            meta.getLabels().putAll(cr.getMetadata().getLabels());
        }
        cr.setMetadata(meta);
        return cr;
    }
}
