// Range indexes behind the GraphQL filters and orderings that start from a label scan: region,
// kind and status filters, the default orderings (name / title) and the occupation's ISCO code.
CREATE INDEX organisation_region IF NOT EXISTS FOR (n:Organisation) ON (n.region);
CREATE INDEX organisation_kind IF NOT EXISTS FOR (n:Organisation) ON (n.kind);
CREATE INDEX vacancy_title IF NOT EXISTS FOR (n:Vacancy) ON (n.title);
CREATE INDEX vacancy_region IF NOT EXISTS FOR (n:Vacancy) ON (n.region);
CREATE INDEX vacancy_status IF NOT EXISTS FOR (n:Vacancy) ON (n.status);
CREATE INDEX vacancy_posted_at IF NOT EXISTS FOR (n:Vacancy) ON (n.postedAt);
CREATE INDEX training_course_title IF NOT EXISTS FOR (n:TrainingCourse) ON (n.title);
CREATE INDEX training_course_region IF NOT EXISTS FOR (n:TrainingCourse) ON (n.region);
CREATE INDEX service_name IF NOT EXISTS FOR (n:Service) ON (n.name);
CREATE INDEX service_region IF NOT EXISTS FOR (n:Service) ON (n.region);
CREATE INDEX skill_name IF NOT EXISTS FOR (n:Skill) ON (n.name);
CREATE INDEX field_name IF NOT EXISTS FOR (n:Field) ON (n.name);
CREATE INDEX occupation_name IF NOT EXISTS FOR (n:Occupation) ON (n.name);
CREATE INDEX occupation_code IF NOT EXISTS FOR (n:Occupation) ON (n.code);
// PartnerPlatform.name is indexed by its unique constraint (V060__partner_feeds.cypher).
