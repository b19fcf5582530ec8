package io.pulsarmesh.operator;

import java.util.Arrays;

import io.pulsarmesh.operator.render.Render;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. {@code render ...} prints the objects the operator would create and exits, without booting Quarkus
 * (no cluster, no HTTP port, nothing started); anything else runs the operator.
 *
 * <p>This class deliberately does not implement {@code QuarkusApplication}: the operator SDK extension starts the
 * operator on start-up only when the application has no such implementation.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && Render.COMMAND.equals(args[0])) {
            System.exit(Render.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        Quarkus.run(args);
    }
}
