// Visibility of TEST-mode partner feeds becomes a label (compiler/visibility.py): a sourced record
// none of whose sources is a PRODUCTION platform carries `Unpublished`, which the sync writer and
// promotion keep from now on. This labels the records already synced. The stored partnerCount
// figure is dropped: reads compute the live count in their statement.
MATCH (n)-[:SOURCED_FROM]->(:PartnerPlatform)
WHERE (n:Organisation OR n:Vacancy OR n:TrainingCourse OR n:Service)
  AND NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform {mode: 'PRODUCTION'}) }
WITH DISTINCT n
SET n:Unpublished;
MATCH (o:Organisation) WHERE o.partnerCount IS NOT NULL REMOVE o.partnerCount;
