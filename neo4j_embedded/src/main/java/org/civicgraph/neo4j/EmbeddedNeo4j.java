package org.civicgraph.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community embedded with its Bolt connector, so that CivicGraph's Python services and
 * tests talk to a real database over Bolt without a separate server install.
 *
 * <p>Usage: {@code EmbeddedNeo4j --home DIR [--port 7687] [--host 127.0.0.1] [--plugins DIR]
 * [--pagecache 256m]}. The store lives under {@code --home}, so the next start opens the same data.
 * SIGTERM (or Ctrl-C) runs the shutdown hook, which closes the store cleanly. Readiness is for the
 * caller to check over Bolt; the line printed here only says that start-up returned.
 */
public final class EmbeddedNeo4j {

    private EmbeddedNeo4j() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of("var/neo4j");
        String host = "127.0.0.1";
        int port = 7687;
        Path plugins = null;
        String pagecache = "256m";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--home" -> { home = Path.of(require(args[i], value)); i++; }
                case "--host" -> { host = require(args[i], value); i++; }
                case "--port" -> { port = Integer.parseInt(require(args[i], value)); i++; }
                case "--plugins" -> { plugins = Path.of(require(args[i], value)); i++; }
                case "--pagecache" -> { pagecache = require(args[i], value); i++; }
                default -> {
                    System.err.println("unknown argument " + args[i]
                        + "; usage: --home DIR [--port N] [--host ADDR] [--plugins DIR] [--pagecache SIZE]");
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(home);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home.toAbsolutePath())
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
            .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.parse(pagecache))
            .setConfig(GraphDatabaseSettings.auth_enabled, false);
        if (plugins != null) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, plugins.toAbsolutePath())
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"));
        }
        DatabaseManagementService service = builder.build();
        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("neo4j-embedded: shutting down");
            service.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));

        System.out.println("neo4j-embedded: started database '" + db.databaseName() + "' at "
            + home.toAbsolutePath() + ", bolt://" + host + ":" + port);
        System.out.flush();
        stopped.await();
    }

    private static String require(String flag, String value) {
        if (value == null) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
