// GraphQL:
//   query C($a: ID!, $z: ID!) { partnershipChain(from: $a, to: $z) { length
//     organisations { nodes { name } } } }
// Variables: {"a": "00000000-0000-0000-0000-00000000000a", "z": "00000000-0000-0000-0000-00000000000z"}
// Caller: client partner-client
// Parameters: {"callerClient": "partner-client", "p0": "00000000-0000-0000-0000-00000000000a", "p1": "00000000-0000-0000-0000-00000000000z", "p2": 20, "p3": 0, "p4": null, "p5": null}
MATCH (a:Organisation {id: $p0})
WHERE (NOT a:Unpublished OR EXISTS { (a)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.clientId = $callerClient })
MATCH (z:Organisation {id: $p1})
WHERE (NOT z:Unpublished OR EXISTS { (z)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.clientId = $callerClient }) OPTIONAL MATCH path = shortestPath((a)-[:PARTNERS_WITH*..6]-(z))
WHERE all(x IN nodes(path)
WHERE (NOT x:Unpublished OR EXISTS { (x)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.clientId = $callerClient }))
RETURN CASE WHEN path IS NULL THEN null ELSE {`length`: length(path), `organisations`: {`nodes`: [i IN range(CASE WHEN $p4 IS NULL THEN $p3 WHEN coalesce($p5, size(nodes(path))) - $p4 < 0 THEN 0 ELSE coalesce($p5, size(nodes(path))) - $p4 END, (CASE WHEN CASE WHEN $p4 IS NULL THEN $p3 + $p2 ELSE coalesce($p5, size(nodes(path))) END > size(nodes(path)) THEN size(nodes(path)) ELSE CASE WHEN $p4 IS NULL THEN $p3 + $p2 ELSE coalesce($p5, size(nodes(path))) END END) - 1) | head([n IN [nodes(path)[i]] | n {`name`: n.name}])]}} END AS item
