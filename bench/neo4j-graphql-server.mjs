// The benchmark's peer: the Neo4j GraphQL Library serving the same graph as CivicGraph, with type
// definitions equivalent to ours for the benchmarked reads (the partner graph's nested read and
// the cross-domain read from the lab's challenges to their proposers' partners' vacancies). Usage:
//   node neo4j-graphql-server.mjs <port> <bolt-uri> [processes]
// With processes > 1 (graph_bench passes one per CPU, as gunicorn gets), node:cluster forks that
// many servers sharing the port, so the peer is not held to one core while ours has all of them.
import cluster from "node:cluster";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const [port, uri, processes] = process.argv.slice(2);
const forks = Number(processes ?? 1);
if (cluster.isPrimary && forks > 1) {
  for (let i = 0; i < forks; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    console.error(`neo4j-graphql worker ${worker.process.pid} exited with ${code}`);
    process.exit(1);
  });
} else {
  await serve();
}

async function serve() {

const typeDefs = /* GraphQL */ `
  type Organisation @node(labels: ["Organisation"]) {
    id: ID!
    name: String!
    kind: String!
    region: String!
    description: String
    partners: [Organisation!]!
      @relationship(type: "PARTNERS_WITH", direction: OUT, queryDirection: UNDIRECTED)
    vacancies: [Vacancy!]! @relationship(type: "OFFERED_BY", direction: IN)
  }

  type Vacancy @node(labels: ["Vacancy"]) {
    id: ID!
    title: String!
    region: String
    status: String
    organisation: [Organisation!]! @relationship(type: "OFFERED_BY", direction: OUT)
    skills: [Skill!]! @relationship(type: "REQUIRES", direction: OUT)
  }

  type Challenge @node(labels: ["Challenge"]) {
    id: ID!
    title: String!
    status: String!
    proposals: [Proposal!]! @relationship(type: "RESPONDS_TO", direction: IN)
  }

  type Proposal @node(labels: ["Proposal"]) {
    id: ID!
    title: String!
    status: String!
    proposer: [Organisation!]! @relationship(type: "SUBMITTED_BY", direction: OUT)
  }

  type Skill @node(labels: ["Skill"]) {
    id: ID!
    uri: String!
    name: String!
  }
`;

const driver = neo4j.driver(uri, undefined, {
  maxConnectionPoolSize: 100,
});
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const server = new ApolloServer({ schema: await neoSchema.getSchema() });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(port), host: "127.0.0.1" },
  context: async () => ({}),
});
console.log(`neo4j-graphql listening at ${url}`);
}
