// GraphQL:
//   query R($id: ID!) { partnersOfPartners(id: $id, hops: 2) { distance
//     organisation { name } } }
// Variables: {"id": "00000000-0000-0000-0000-00000000000a"}
// Caller: anonymous
// Parameters: {"p0": "00000000-0000-0000-0000-00000000000a", "p1": 20}
MATCH (o:Organisation {id: $p0})
WHERE NOT o:Unpublished
CALL (o) { OPTIONAL MATCH path = (o)-[:PARTNERS_WITH*1..2]-(n:Organisation)
  WHERE n <> o AND all(x IN nodes(path)
  WHERE NOT x:Unpublished)
  WITH n, min(length(path)) AS distance
  WHERE n IS NOT NULL ORDER BY distance, n.name, n.id LIMIT $p1
  RETURN collect({`distance`: distance, `organisation`: n {`name`: n.name}}) AS items }
RETURN items, true AS found
