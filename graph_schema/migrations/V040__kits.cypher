// Hackathon kits. A kit is known by its name; a release by its kit and number, and by its kit
// and checksum: two builds that produce the same bytes publish one release, even when they
// race (the constraint holds where a read-then-write check would not).
CREATE CONSTRAINT data_kit_name IF NOT EXISTS FOR (n:DataKit) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT kit_release_number IF NOT EXISTS FOR (n:KitRelease) REQUIRE (n.kit, n.number) IS UNIQUE;
CREATE CONSTRAINT kit_release_checksum IF NOT EXISTS FOR (n:KitRelease) REQUIRE (n.kit, n.sha256) IS UNIQUE;
CREATE CONSTRAINT kit_build_id IF NOT EXISTS FOR (n:KitBuild) REQUIRE n.id IS UNIQUE;
