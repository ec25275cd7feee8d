package apicheck;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the migration table of docs/java.md against the vendor-API list
 * (java/compat/api/vendor-api.txt, copied from the spec) and the compat jar on the classpath:
 * every listed member is a row of the table (same class and member text), every row is a
 * listed member, every status is "supported", "partial" or "not supported", and every member
 * not marked "not supported" exists in the jar with the listed types (reflection: public, the
 * same static-ness, parameter and return types). A member marked "not supported" that the jar
 * has is reported (the table is stale) and fails too.
 *
 *   java -cp cacipher-tass-compat.jar:classes apicheck.VendorApiCheck LIST DOCS
 * Last line: {@code java-compat: N passed, M failed}.
 */
public final class VendorApiCheck {
    static int passed, failed;

    static void check(boolean ok, String what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            System.out.println("FAIL - " + what);
        }
    }

    static final Map<String, String> CLASSES = Map.of(
            "hsmGeneralFinance", "cn.tass.hsmApi.hsmGeneralFinance.hsmGeneralFinance",
            "SymmKeyAttribute", "cn.tass.hsmApi.hsmGeneralFinance.hsmGeneralFinance$SymmKeyAttribute",
            "TAException", "cn.tass.exceptions.TAException",
            "Forms", "cn.tass.kits.Forms",
            "ErrorCodes", "cn.tass.duty.ErrorCodes",
            "PaddingMode", "cn.tass.duty.drivers.SJJ1310$PaddingMode",
            "KeyType", "cn.tass.duty.drivers.SJJ1310$KeyType");

    static Class<?> type(String t) throws ClassNotFoundException {
        String s = t.trim();
        if (s.endsWith("[]")) return type(s.substring(0, s.length() - 2)).arrayType();
        int lt = s.indexOf('<');
        if (lt >= 0) s = s.substring(0, lt); // erasure: ArrayList<byte[]> -> ArrayList
        switch (s) {
            case "int": return int.class;
            case "boolean": return boolean.class;
            case "char": return char.class;
            case "byte": return byte.class;
            case "long": return long.class;
            case "void": return void.class;
            case "String": return String.class;
            case "Object": return Object.class;
            case "Throwable": return Throwable.class;
            case "ArrayList": return ArrayList.class;
            default:
                String c = CLASSES.get(s);
                if (c == null) throw new ClassNotFoundException(s);
                return Class.forName(c);
        }
    }

    /**
     * A listed member: "[static] RETURN NAME(TYPE name, ...)", "[static] TYPE NAME" (a field;
     * an enum constant is a static field of its enum's type) or "CLASS(TYPE name, ...)" (a
     * public constructor: the simple name of the class, no return type).
     */
    static String present(Class<?> owner, String member) throws ClassNotFoundException {
        String m = member.trim();
        boolean isStatic = m.startsWith("static ");
        if (isStatic) m = m.substring(7).trim();
        int paren = m.indexOf('(');
        String head = paren < 0 ? m : m.substring(0, paren).trim();
        int sp = head.lastIndexOf(' ');
        boolean constructor = sp < 0 && paren >= 0 && !isStatic;
        if (sp < 0 && !constructor) return "neither a method, a field nor a constructor";
        if (constructor && !head.equals(owner.getSimpleName())) return "a constructor of another class (" + head + ")";
        Class<?> ret = constructor ? null : type(head.substring(0, sp));
        String name = head.substring(sp + 1);
        if (paren < 0) {
            for (Field f : owner.getFields()) {
                if (f.getName().equals(name) && f.getType() == ret && Modifier.isStatic(f.getModifiers()) == isStatic) return null;
            }
            return "no public field " + name;
        }
        List<Class<?>> params = new ArrayList<>();
        String inside = m.substring(paren + 1, m.lastIndexOf(')')).trim();
        if (!inside.isEmpty()) {
            for (String p : inside.split(",")) {
                String q = p.trim();
                int last = q.lastIndexOf(' ');
                // "TYPE name": drop the name (types such as ArrayList<byte[]> have no blank)
                params.add(type(last < 0 ? q : q.substring(0, last)));
            }
        }
        if (constructor) {
            try {
                Constructor<?> c = owner.getConstructor(params.toArray(new Class<?>[0]));
                return Modifier.isPublic(c.getModifiers()) ? null : "constructor not public";
            } catch (NoSuchMethodException e) {
                return "no public constructor " + name + params;
            }
        }
        try {
            Method x = owner.getMethod(name, params.toArray(new Class<?>[0]));
            if (x.getDeclaringClass() != owner) return "inherited only";
            if (Modifier.isStatic(x.getModifiers()) != isStatic) return "static-ness differs";
            if (x.getReturnType() != ret) return "returns " + x.getReturnType().getSimpleName();
            return null;
        } catch (NoSuchMethodException e) {
            return "no public method " + name + params;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String[]> listed = new ArrayList<>();
        for (String l : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (l.isBlank() || l.startsWith("#")) continue;
            String[] f = l.split("\\|");
            check(f.length == 3, "list line has 3 fields: " + l);
            if (f.length == 3) listed.add(new String[] {f[0].trim(), f[1].trim(), f[2].trim()});
        }
        // the table: between the markers, rows "| class | `member` | command | status |"
        Map<String, String> rows = new LinkedHashMap<>();
        boolean in = false;
        for (String l : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            if (l.contains("<!-- migration-table-begin -->")) { in = true; continue; }
            if (l.contains("<!-- migration-table-end -->")) { in = false; continue; }
            if (!in || !l.startsWith("| ") || l.startsWith("| class ") || l.startsWith("|---")) continue;
            String[] c = l.split("\\|");
            if (c.length < 5) { check(false, "table row has 4 cells: " + l); continue; }
            String member = c[2].trim();
            if (member.startsWith("`") && member.endsWith("`")) member = member.substring(1, member.length() - 1);
            String key = c[1].trim() + " | " + member;
            check(rows.put(key, c[4].trim()) == null, "one row per member: " + key);
        }
        check(rows.size() > 0, "docs/java.md has the migration table (between the markers)");
        Map<String, Boolean> seen = new HashMap<>();
        int supported = 0, partial = 0, not = 0;
        for (String[] e : listed) {
            String key = e[0] + " | " + e[1];
            String status = rows.get(key);
            seen.put(key, true);
            if (status == null) {
                check(false, "the migration table has a row for " + key);
                continue;
            }
            boolean ns = status.startsWith("not supported");
            boolean ok = ns || status.startsWith("supported") || status.startsWith("partial");
            check(ok, "status is supported / partial / not supported: " + key + ": " + status);
            String cls = CLASSES.get(e[0]);
            check(cls != null, "known class " + e[0]);
            if (cls == null) continue;
            String why;
            try {
                why = present(Class.forName(cls), e[1]);
            } catch (ClassNotFoundException x) {
                why = "no class " + x.getMessage();
            }
            if (ns) {
                not++;
                check(why != null, "marked not supported, yet the jar has it (update the table): " + key);
            } else {
                if (status.startsWith("partial")) partial++; else supported++;
                check(why == null, "in the jar: " + key + (why == null ? "" : " (" + why + ")"));
            }
        }
        for (String key : rows.keySet()) check(seen.containsKey(key), "a table row that is not in the vendor list: " + key);
        System.out.println("vendor API: " + listed.size() + " members: " + supported + " supported, " + partial + " partial, " + not
                + " not supported");
        System.out.println("java-compat: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
