// Every node of the partner graph has a stable `id` (a UUID string): one unique constraint per
// label named in the design brief (section 3). Kind and role labels (Agency, Citizen, ...) sit on
// nodes that already carry Organisation or Person, so the base label's constraint covers them.
CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT field_id IF NOT EXISTS FOR (n:Field) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT skill_id IF NOT EXISTS FOR (n:Skill) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT occupation_id IF NOT EXISTS FOR (n:Occupation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT partner_platform_id IF NOT EXISTS FOR (n:PartnerPlatform) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT vacancy_id IF NOT EXISTS FOR (n:Vacancy) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT training_course_id IF NOT EXISTS FOR (n:TrainingCourse) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT service_id IF NOT EXISTS FOR (n:Service) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT idea_id IF NOT EXISTS FOR (n:Idea) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT challenge_id IF NOT EXISTS FOR (n:Challenge) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT proposal_id IF NOT EXISTS FOR (n:Proposal) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT evaluation_id IF NOT EXISTS FOR (n:Evaluation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT pilot_id IF NOT EXISTS FOR (n:Pilot) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT outcome_measure_id IF NOT EXISTS FOR (n:OutcomeMeasure) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT measurement_id IF NOT EXISTS FOR (n:Measurement) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT session_id IF NOT EXISTS FOR (n:Session) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT team_id IF NOT EXISTS FOR (n:Team) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dataset_id IF NOT EXISTS FOR (n:Dataset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT data_kit_id IF NOT EXISTS FOR (n:DataKit) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT kit_release_id IF NOT EXISTS FOR (n:KitRelease) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT consent_id IF NOT EXISTS FOR (n:Consent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT lifecycle_event_id IF NOT EXISTS FOR (n:LifecycleEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT access_event_id IF NOT EXISTS FOR (n:AccessEvent) REQUIRE n.id IS UNIQUE;
