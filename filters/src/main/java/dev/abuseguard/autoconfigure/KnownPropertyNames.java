package dev.abuseguard.autoconfigure;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * The property names configuration records can bind, derived from the records themselves (their components,
 * recursively), so a component added to a record is a known property at once. A map's keys are any names
 * ({@code actions.<name>}, {@code tiers.<tier>.<action>}); a list takes indexes; a map of plain values takes
 * any name below it, as the binder reads such a key whole ({@code commands.a.b} is the key {@code a.b}).
 * A type that is neither a record, a map, a collection nor a plain value is taken as accepting anything below
 * it, so that a JavaBean added some day is never refused wrongly; only records are checked.
 */
final class KnownPropertyNames {

    private final Node root = new Node();

    /** Adds what {@code type}, bound at {@code prefix}, can bind. */
    KnownPropertyNames add(String prefix, Class<?> type) {
        Node at = root;
        for (String element : prefix.split("\\.")) {
            at = at.child(element);
        }
        describe(at, type, 0);
        return this;
    }

    /**
     * {@code null} when {@code name} is a property (or a part of one) some record binds; else why not: the
     * first element nobody knows and what is known in its place.
     */
    String unknown(ConfigurationPropertyName name) {
        Node at = root;
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            if (at.anything) {
                return null;
            }
            Node next;
            if (at.anyKey != null) {
                next = at.anyKey;
            } else if (at.index != null && name.isNumericIndex(i)) {
                next = at.index;
            } else {
                next = at.children.get(name.getElement(i, Form.UNIFORM));
            }
            if (next == null) {
                String known = at.children.values().stream().map(n -> n.displayName).collect(Collectors.joining(", "));
                return written(name, name.getNumberOfElements()) + ": '" + name.getElement(i, Form.ORIGINAL)
                        + "' is not a property of " + (i == 0 ? "the configuration" : written(name, i))
                        + (known.isEmpty() ? (at.index != null ? " (a list: [0], [1], ...)" : " (a value)")
                                : " (known there: " + known + ")");
            }
            at = next;
        }
        return null;
    }

    /** The first {@code elements} of the name as they were written (Boot's own form drops '_' from map keys). */
    private static String written(ConfigurationPropertyName name, int elements) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < elements; i++) {
            String element = name.getElement(i, Form.ORIGINAL);
            if (name.isNumericIndex(i) || element.indexOf('.') >= 0) {
                text.append('[').append(element).append(']');
            } else {
                text.append(text.length() == 0 ? "" : ".").append(element);
            }
        }
        return text.toString();
    }

    private static void describe(Node node, Type type, int depth) {
        if (depth > 16) { // a record that contains itself: accept what lies that deep rather than loop
            node.anything = true;
            return;
        }
        Class<?> raw = raw(type);
        if (raw == null) {
            node.anything = true;
        } else if (raw.isRecord()) {
            for (RecordComponent component : raw.getRecordComponents()) {
                Node child = node.child(propertyName(component));
                describe(child, component.getGenericType(), depth + 1);
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            Type value = typeArgument(type, 1);
            Class<?> valueClass = raw(value);
            node.anyKey = new Node();
            if (valueClass != null && isPlainValue(valueClass)) {
                node.anyKey.anything = true;
            } else {
                describe(node.anyKey, value, depth + 1);
            }
        } else if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            node.index = new Node();
            describe(node.index, raw.isArray() ? raw.getComponentType() : typeArgument(type, 0), depth + 1);
        } else if (!isPlainValue(raw)) {
            node.anything = true;
        }
    }

    /** The component's name as written in configuration: {@code @Name} when given, else kebab-case. */
    private static String propertyName(RecordComponent component) {
        Name renamed = component.getAnnotation(Name.class);
        if (renamed == null) {
            // @Name may sit on the canonical constructor's parameter only
            Class<?> record = component.getDeclaringRecord();
            RecordComponent[] components = record.getRecordComponents();
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new);
            try {
                var parameters = record.getDeclaredConstructor(types).getParameters();
                for (int i = 0; i < components.length; i++) {
                    if (components[i].getName().equals(component.getName())) {
                        renamed = parameters[i].getAnnotation(Name.class);
                    }
                }
            } catch (NoSuchMethodException impossible) {
                // every record has its canonical constructor
            }
        }
        String name = renamed != null ? renamed.value() : component.getName();
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** A value the binder converts from one string: primitives, strings, enums, durations, sizes, URIs... */
    private static boolean isPlainValue(Class<?> type) {
        return type.isPrimitive() || type.isEnum() || type.getName().startsWith("java.")
                && !Map.class.isAssignableFrom(type) && !Collection.class.isAssignableFrom(type)
                || type.getName().startsWith("org.springframework.util.unit.");
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
            return raw(w.getUpperBounds()[0]);
        }
        return null;
    }

    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p && p.getActualTypeArguments().length > index
                ? p.getActualTypeArguments()[index] : Object.class;
    }

    private static final class Node {
        final Map<String, Node> children = new TreeMap<>();
        String displayName = "";
        Node anyKey;
        Node index;
        boolean anything;

        Node child(String dashed) {
            String uniform = ConfigurationPropertyName.of(dashed).getElement(0, Form.UNIFORM);
            Node child = children.computeIfAbsent(uniform, key -> new Node());
            child.displayName = dashed;
            return child;
        }
    }
}
