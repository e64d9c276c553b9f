// GraphQL:
//   query C($a: ID!, $z: ID!) { partnershipChain(from: $a, to: $z) { length
//     organisations { name } } }
// Variables: {"a": "00000000-0000-0000-0000-00000000000a", "z": "00000000-0000-0000-0000-00000000000z"}
// Caller: client partner-client
// Parameters: {"callerClient": "partner-client", "p0": "00000000-0000-0000-0000-00000000000a", "p1": "00000000-0000-0000-0000-00000000000z"}
MATCH (a:Organisation {id: $p0})
WHERE (NOT a:Unpublished OR EXISTS { (a)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.clientId = $callerClient })
MATCH (z:Organisation {id: $p1})
WHERE (NOT z:Unpublished OR EXISTS { (z)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.clientId = $callerClient }) OPTIONAL MATCH path = shortestPath((a)-[:PARTNERS_WITH*..6]-(z))
WHERE all(x IN nodes(path)
WHERE (NOT x:Unpublished OR EXISTS { (x)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.clientId = $callerClient }))
RETURN CASE WHEN path IS NULL THEN null ELSE {`length`: length(path), `organisations`: [n IN nodes(path) | n {`name`: n.name}]} END AS item
