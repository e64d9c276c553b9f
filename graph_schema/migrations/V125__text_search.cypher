// Full-text search with its score beyond organisations (V005): vacancies, training courses and
// services by title or name and description, challenges by title and description (ideas have
// idea_text since V080). GraphQL `vacancies(search:)` and the like; each word of a search is
// quoted as a Lucene term by the compiler, so no search can be Lucene syntax.
CREATE FULLTEXT INDEX vacancy_text IF NOT EXISTS FOR (n:Vacancy) ON EACH [n.title, n.description];
CREATE FULLTEXT INDEX training_course_text IF NOT EXISTS FOR (n:TrainingCourse) ON EACH [n.title, n.description];
CREATE FULLTEXT INDEX service_text IF NOT EXISTS FOR (n:Service) ON EACH [n.name, n.description];
CREATE FULLTEXT INDEX challenge_text IF NOT EXISTS FOR (n:Challenge) ON EACH [n.title, n.description];
