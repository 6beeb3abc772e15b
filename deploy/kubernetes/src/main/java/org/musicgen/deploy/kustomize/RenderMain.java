package org.musicgen.deploy.kustomize;

import java.nio.file.Path;

/**
 * Prints what {@code kubectl kustomize DIR} prints (same objects), without kubectl:
 * {@code java -cp deploy/kubernetes/target/classes:... org.musicgen.deploy.kustomize.RenderMain deploy/kubernetes/overlays/dev}.
 */
public final class RenderMain {
    private RenderMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: RenderMain <kustomization directory>");
            System.exit(2);
        }
        try {
            System.out.print(Yaml.writeAll(Kustomize.build(Path.of(args[0]))));
        } catch (KustomizeException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
