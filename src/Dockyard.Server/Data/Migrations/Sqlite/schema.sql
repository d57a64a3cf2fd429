CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

CREATE TABLE "access_tokens" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_access_tokens" PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NULL,
    "service_account_id" INTEGER NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes_json" TEXT NULL,
    "expires_at" INTEGER NULL,
    "last_used_at" INTEGER NULL,
    "revoked_at" INTEGER NULL,
    "created_at" INTEGER NOT NULL
);

CREATE TABLE "blob_links" (
    "repository" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "PK_blob_links" PRIMARY KEY ("repository", "digest")
);

CREATE TABLE "login_throttles" (
    "key" TEXT NOT NULL CONSTRAINT "PK_login_throttles" PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "window_started_at" INTEGER NOT NULL,
    "locked_until" INTEGER NULL
);

CREATE TABLE "manifest_references" (
    "repository" TEXT NOT NULL,
    "manifest_digest" TEXT NOT NULL,
    "child_digest" TEXT NOT NULL,
    CONSTRAINT "PK_manifest_references" PRIMARY KEY ("repository", "manifest_digest", "child_digest")
);

CREATE TABLE "manifests" (
    "repository" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "media_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "artifact_type" TEXT NULL,
    "subject" TEXT NULL,
    "annotations" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "PK_manifests" PRIMARY KEY ("repository", "digest")
);

CREATE TABLE "organization_members" (
    "organization_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "is_owner" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "PK_organization_members" PRIMARY KEY ("organization_id", "user_id")
);

CREATE TABLE "organizations" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_organizations" PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "description" TEXT NULL,
    "default_member_role" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL
);

CREATE TABLE "refresh_tokens" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_refresh_tokens" PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "client_id" TEXT NULL,
    "expires_at" INTEGER NOT NULL,
    "revoked_at" INTEGER NULL,
    "created_at" INTEGER NOT NULL
);

CREATE TABLE "repositories" (
    "name" TEXT NOT NULL CONSTRAINT "PK_repositories" PRIMARY KEY,
    "visibility" TEXT NOT NULL,
    "description" TEXT NULL,
    "created_at" INTEGER NOT NULL
);

CREATE TABLE "repository_permissions" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_repository_permissions" PRIMARY KEY AUTOINCREMENT,
    "repository" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL
);

CREATE TABLE "service_accounts" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_service_accounts" PRIMARY KEY AUTOINCREMENT,
    "organization_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NULL,
    "is_active" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL
);

CREATE TABLE "settings" (
    "key" TEXT NOT NULL CONSTRAINT "PK_settings" PRIMARY KEY,
    "value_json" TEXT NOT NULL,
    "updated_at" INTEGER NOT NULL
);

CREATE TABLE "signing_keys" (
    "kid" TEXT NOT NULL CONSTRAINT "PK_signing_keys" PRIMARY KEY,
    "algorithm" TEXT NOT NULL,
    "private_key_pem" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "retired_at" INTEGER NULL
);

CREATE TABLE "tags" (
    "repository" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "manifest_digest" TEXT NOT NULL,
    "updated_at" INTEGER NOT NULL,
    CONSTRAINT "PK_tags" PRIMARY KEY ("repository", "name")
);

CREATE TABLE "team_members" (
    "team_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "PK_team_members" PRIMARY KEY ("team_id", "user_id")
);

CREATE TABLE "teams" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_teams" PRIMARY KEY AUTOINCREMENT,
    "organization_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NULL,
    "ldap_group" TEXT NULL,
    "created_at" INTEGER NOT NULL
);

CREATE TABLE "users" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_users" PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "email" TEXT NULL,
    "display_name" TEXT NULL,
    "password_hash" TEXT NULL,
    "source" TEXT NOT NULL,
    "external_id" TEXT NULL,
    "is_admin" INTEGER NOT NULL,
    "is_active" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    "last_login_at" INTEGER NULL
);

CREATE UNIQUE INDEX "IX_access_tokens_prefix" ON "access_tokens" ("prefix");

CREATE INDEX "IX_access_tokens_service_account_id" ON "access_tokens" ("service_account_id");

CREATE INDEX "IX_access_tokens_user_id" ON "access_tokens" ("user_id");

CREATE INDEX "IX_blob_links_digest" ON "blob_links" ("digest");

CREATE INDEX "IX_manifest_references_repository_child_digest" ON "manifest_references" ("repository", "child_digest");

CREATE INDEX "IX_manifests_repository_subject" ON "manifests" ("repository", "subject");

CREATE INDEX "IX_organization_members_user_id" ON "organization_members" ("user_id");

CREATE UNIQUE INDEX "IX_organizations_name" ON "organizations" ("name");

CREATE UNIQUE INDEX "IX_refresh_tokens_prefix" ON "refresh_tokens" ("prefix");

CREATE INDEX "IX_refresh_tokens_user_id" ON "refresh_tokens" ("user_id");

CREATE UNIQUE INDEX "IX_repository_permissions_repository_subject_kind_subject_id" ON "repository_permissions" ("repository", "subject_kind", "subject_id");

CREATE INDEX "IX_repository_permissions_subject_kind_subject_id" ON "repository_permissions" ("subject_kind", "subject_id");

CREATE UNIQUE INDEX "IX_service_accounts_organization_id_name" ON "service_accounts" ("organization_id", "name");

CREATE INDEX "IX_tags_repository_manifest_digest" ON "tags" ("repository", "manifest_digest");

CREATE INDEX "IX_team_members_user_id" ON "team_members" ("user_id");

CREATE UNIQUE INDEX "IX_teams_organization_id_name" ON "teams" ("organization_id", "name");

CREATE UNIQUE INDEX "IX_users_username" ON "users" ("username");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127125617_Initial', '10.0.15');

CREATE TABLE "webhooks" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_webhooks" PRIMARY KEY AUTOINCREMENT,
    "organization_id" INTEGER NULL,
    "repository" TEXT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" INTEGER NOT NULL,
    "enabled" INTEGER NOT NULL,
    "description" TEXT NULL,
    "created_by" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "updated_at" INTEGER NOT NULL,
    CONSTRAINT "FK_webhooks_organizations_organization_id" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_webhooks_repositories_repository" FOREIGN KEY ("repository") REFERENCES "repositories" ("name") ON DELETE CASCADE
);

CREATE TABLE "webhook_deliveries" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY AUTOINCREMENT,
    "delivery_id" TEXT NOT NULL,
    "webhook_id" INTEGER NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" INTEGER NULL,
    "last_status_code" INTEGER NULL,
    "last_error" TEXT NULL,
    "last_duration_ms" INTEGER NULL,
    "attempts_json" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "completed_at" INTEGER NULL,
    CONSTRAINT "FK_webhook_deliveries_webhooks_webhook_id" FOREIGN KEY ("webhook_id") REFERENCES "webhooks" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_webhook_deliveries_delivery_id" ON "webhook_deliveries" ("delivery_id");

CREATE INDEX "IX_webhook_deliveries_status_next_attempt_at" ON "webhook_deliveries" ("status", "next_attempt_at");

CREATE INDEX "IX_webhook_deliveries_webhook_id_id" ON "webhook_deliveries" ("webhook_id", "id");

CREATE INDEX "IX_webhooks_organization_id" ON "webhooks" ("organization_id");

CREATE INDEX "IX_webhooks_repository" ON "webhooks" ("repository");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127134510_Webhooks', '10.0.15');

CREATE TABLE "audit_entries" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_audit_entries" PRIMARY KEY,
    "time" INTEGER NOT NULL,
    "actor_kind" TEXT NOT NULL,
    "actor_name" TEXT NOT NULL,
    "actor_id" INTEGER NULL,
    "auth_method" TEXT NULL,
    "source_ip" TEXT NULL,
    "user_agent" TEXT NULL,
    "action" TEXT NOT NULL,
    "repository" TEXT NULL,
    "reference" TEXT NULL,
    "digest" TEXT NULL,
    "resource" TEXT NULL,
    "organization" TEXT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NULL,
    "request_id" TEXT NULL,
    "details" TEXT NULL,
    "hash" TEXT NOT NULL
);

CREATE INDEX "IX_audit_entries_organization_id" ON "audit_entries" ("organization", "id");

CREATE INDEX "IX_audit_entries_repository_id" ON "audit_entries" ("repository", "id");

CREATE INDEX "IX_audit_entries_time" ON "audit_entries" ("time");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127140937_Audit', '10.0.15');

ALTER TABLE "tags" ADD "last_pulled_at" INTEGER NULL;

ALTER TABLE "tags" ADD "pushed_by" TEXT NULL;

ALTER TABLE "organizations" ADD "storage_quota_bytes" INTEGER NULL;

ALTER TABLE "manifests" ADD "content_size" INTEGER NULL;

ALTER TABLE "manifests" ADD "platforms" TEXT NULL;

CREATE TABLE "blobs" (
    "digest" TEXT NOT NULL CONSTRAINT "PK_blobs" PRIMARY KEY,
    "size" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    "last_seen_at" INTEGER NOT NULL,
    "deleting_since" INTEGER NULL
);

CREATE TABLE "immutability_rules" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_immutability_rules" PRIMARY KEY AUTOINCREMENT,
    "organization_id" INTEGER NULL,
    "repository" TEXT NULL,
    "tag_pattern" TEXT NOT NULL,
    "repository_pattern" TEXT NULL,
    "created_by" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "FK_immutability_rules_organizations_organization_id" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_immutability_rules_repositories_repository" FOREIGN KEY ("repository") REFERENCES "repositories" ("name") ON DELETE CASCADE
);

CREATE TABLE "leases" (
    "name" TEXT NOT NULL CONSTRAINT "PK_leases" PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expires_at" INTEGER NOT NULL
);

CREATE TABLE "retention_policies" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_retention_policies" PRIMARY KEY AUTOINCREMENT,
    "organization_id" INTEGER NULL,
    "repository" TEXT NULL,
    "enabled" INTEGER NOT NULL,
    "keep_last_tags" INTEGER NULL,
    "keep_tag_patterns" TEXT NULL,
    "delete_untagged_after_seconds" INTEGER NULL,
    "include_recent" INTEGER NOT NULL,
    "updated_by" TEXT NULL,
    "updated_at" INTEGER NOT NULL,
    CONSTRAINT "FK_retention_policies_organizations_organization_id" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_retention_policies_repositories_repository" FOREIGN KEY ("repository") REFERENCES "repositories" ("name") ON DELETE CASCADE
);

CREATE INDEX "IX_tags_updated_at" ON "tags" ("updated_at");

CREATE INDEX "IX_manifests_digest" ON "manifests" ("digest");

CREATE INDEX "IX_manifest_references_child_digest" ON "manifest_references" ("child_digest");

CREATE INDEX "IX_immutability_rules_organization_id" ON "immutability_rules" ("organization_id");

CREATE INDEX "IX_immutability_rules_repository" ON "immutability_rules" ("repository");

CREATE UNIQUE INDEX "IX_retention_policies_organization_id" ON "retention_policies" ("organization_id");

CREATE UNIQUE INDEX "IX_retention_policies_repository" ON "retention_policies" ("repository");

INSERT INTO blobs (digest, size, created_at, last_seen_at)
SELECT u.digest, MAX(u.size), MIN(u.created_at), MAX(u.created_at)
FROM (SELECT digest, size, created_at FROM blob_links UNION ALL SELECT digest, size, created_at FROM manifests) AS u
WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.digest = u.digest)
GROUP BY u.digest
ON CONFLICT (digest) DO NOTHING;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127165951_ScaleOutAndUi', '10.0.15');

CREATE TABLE "ui_sessions" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_ui_sessions" PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "auth_method" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "last_seen_at" INTEGER NOT NULL,
    "address" TEXT NULL,
    "user_agent" TEXT NULL,
    "ended_at" INTEGER NULL,
    "end_reason" TEXT NULL
);

CREATE INDEX "IX_ui_sessions_last_seen_at" ON "ui_sessions" ("last_seen_at");

CREATE UNIQUE INDEX "IX_ui_sessions_secret_hash" ON "ui_sessions" ("secret_hash");

CREATE INDEX "IX_ui_sessions_user_id" ON "ui_sessions" ("user_id");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206135524_UiSessions', '10.0.15');

CREATE TABLE "collection_grants" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_collection_grants" PRIMARY KEY AUTOINCREMENT,
    "subject_kind" TEXT NOT NULL,
    "subject_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "collection" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NULL
);

CREATE TABLE "engines" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_engines" PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "ca_file" TEXT NULL,
    "cert_file" TEXT NULL,
    "key_file" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NULL
);

CREATE INDEX "IX_collection_grants_collection" ON "collection_grants" ("collection");

CREATE UNIQUE INDEX "IX_collection_grants_subject_kind_subject_id_role_collection" ON "collection_grants" ("subject_kind", "subject_id", "role", "collection");

CREATE UNIQUE INDEX "IX_engines_name" ON "engines" ("name");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206163539_ControlPlaneEngines', '10.0.15');

CREATE TABLE "engine_event_leases" (
    "engine" TEXT NOT NULL CONSTRAINT "PK_engine_event_leases" PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expires_at" INTEGER NOT NULL,
    "state_time_nano" INTEGER NOT NULL,
    "state" TEXT NULL
);

CREATE TABLE "engine_events" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_engine_events" PRIMARY KEY AUTOINCREMENT,
    "time_nano" INTEGER NOT NULL,
    "engine" TEXT NOT NULL,
    "node_id" TEXT NULL,
    "type" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" TEXT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_name" TEXT NULL,
    "attributes" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "collection" TEXT NULL,
    "user_name" TEXT NULL,
    "reconciled" INTEGER NOT NULL,
    "dedup_key" TEXT NOT NULL
);

CREATE INDEX "IX_engine_events_actor_id_time_nano" ON "engine_events" ("actor_id", "time_nano");

CREATE INDEX "IX_engine_events_actor_name_time_nano" ON "engine_events" ("actor_name", "time_nano");

CREATE INDEX "IX_engine_events_collection_time_nano" ON "engine_events" ("collection", "time_nano");

CREATE UNIQUE INDEX "IX_engine_events_dedup_key" ON "engine_events" ("dedup_key");

CREATE INDEX "IX_engine_events_engine_time_nano" ON "engine_events" ("engine", "time_nano");

CREATE INDEX "IX_engine_events_node_id_time_nano" ON "engine_events" ("node_id", "time_nano");

CREATE INDEX "IX_engine_events_time_nano_id" ON "engine_events" ("time_nano", "id");

CREATE INDEX "IX_engine_events_type_action_time_nano" ON "engine_events" ("type", "action", "time_nano");

CREATE INDEX "IX_engine_events_user_name_time_nano" ON "engine_events" ("user_name", "time_nano");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206194307_EngineEvents', '10.0.15');

CREATE TABLE "stacks" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_stacks" PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "collection" TEXT NOT NULL,
    "version" TEXT NULL,
    "description" TEXT NULL,
    "source_url" TEXT NULL,
    "source_revision" TEXT NULL,
    "owner" TEXT NOT NULL,
    "current_revision" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    "updated_at" INTEGER NOT NULL
);

CREATE TABLE "stack_follows" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_stack_follows" PRIMARY KEY AUTOINCREMENT,
    "stack_id" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    CONSTRAINT "FK_stack_follows_stacks_stack_id" FOREIGN KEY ("stack_id") REFERENCES "stacks" ("id") ON DELETE CASCADE
);

CREATE TABLE "stack_hooks" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_stack_hooks" PRIMARY KEY AUTOINCREMENT,
    "stack_id" INTEGER NOT NULL,
    "token_hash" BLOB NOT NULL,
    "token_prefix" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "last_used_at" INTEGER NULL,
    CONSTRAINT "FK_stack_hooks_stacks_stack_id" FOREIGN KEY ("stack_id") REFERENCES "stacks" ("id") ON DELETE CASCADE
);

CREATE TABLE "stack_revisions" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_stack_revisions" PRIMARY KEY AUTOINCREMENT,
    "stack_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "files" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "secret_environment" TEXT NULL,
    "attachments" TEXT NULL,
    "images" TEXT NOT NULL,
    "follow" TEXT NOT NULL,
    "version" TEXT NULL,
    "description" TEXT NULL,
    "source_url" TEXT NULL,
    "source_revision" TEXT NULL,
    "note" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "FK_stack_revisions_stacks_stack_id" FOREIGN KEY ("stack_id") REFERENCES "stacks" ("id") ON DELETE CASCADE
);

CREATE INDEX "IX_stack_follows_repository_tag" ON "stack_follows" ("repository", "tag");

CREATE INDEX "IX_stack_follows_stack_id" ON "stack_follows" ("stack_id");

CREATE INDEX "IX_stack_hooks_stack_id" ON "stack_hooks" ("stack_id");

CREATE UNIQUE INDEX "IX_stack_revisions_stack_id_number" ON "stack_revisions" ("stack_id", "number");

CREATE INDEX "IX_stacks_collection" ON "stacks" ("collection");

CREATE UNIQUE INDEX "IX_stacks_name" ON "stacks" ("name");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206224417_Stacks', '10.0.15');

ALTER TABLE "engine_events" ADD "stack" TEXT NULL;

CREATE INDEX "IX_engine_events_stack_time_nano_id" ON "engine_events" ("stack", "time_nano", "id");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207001500_EngineEventStack', '10.0.15');

CREATE TABLE "trust_keys" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_trust_keys" PRIMARY KEY AUTOINCREMENT,
    "organization_id" INTEGER NOT NULL,
    "team_id" INTEGER NULL,
    "name" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "public_key_pem" TEXT NOT NULL,
    "private_key" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "expires_at" INTEGER NULL,
    "revoked_at" INTEGER NULL,
    "revoked_by" TEXT NULL,
    "revocation_reason" TEXT NULL,
    CONSTRAINT "FK_trust_keys_organizations_organization_id" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_trust_keys_teams_team_id" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON DELETE CASCADE
);

CREATE TABLE "trust_policies" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_trust_policies" PRIMARY KEY AUTOINCREMENT,
    "organization_id" INTEGER NOT NULL,
    "repository_pattern" TEXT NULL,
    "require_all_teams" INTEGER NOT NULL,
    "enforce_deploy" INTEGER NOT NULL,
    "enforce_pull" INTEGER NOT NULL,
    "pull_principal_kinds" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "FK_trust_policies_organizations_organization_id" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id") ON DELETE CASCADE
);

CREATE TABLE "trust_policy_teams" (
    "policy_id" INTEGER NOT NULL,
    "team_id" INTEGER NOT NULL,
    CONSTRAINT "PK_trust_policy_teams" PRIMARY KEY ("policy_id", "team_id"),
    CONSTRAINT "FK_trust_policy_teams_teams_team_id" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_trust_policy_teams_trust_policies_policy_id" FOREIGN KEY ("policy_id") REFERENCES "trust_policies" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_trust_keys_fingerprint" ON "trust_keys" ("fingerprint");

CREATE UNIQUE INDEX "IX_trust_keys_organization_id_name" ON "trust_keys" ("organization_id", "name");

CREATE INDEX "IX_trust_keys_team_id" ON "trust_keys" ("team_id");

CREATE INDEX "IX_trust_policies_organization_id" ON "trust_policies" ("organization_id");

CREATE INDEX "IX_trust_policy_teams_team_id" ON "trust_policy_teams" ("team_id");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207013150_Trust', '10.0.15');

CREATE TABLE "delivery_cursors" (
    "name" TEXT NOT NULL CONSTRAINT "PK_delivery_cursors" PRIMARY KEY,
    "position" INTEGER NOT NULL,
    "updated_at" INTEGER NOT NULL
);

CREATE TABLE "registry_outbox" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_registry_outbox" PRIMARY KEY AUTOINCREMENT,
    "created_at" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "payload" TEXT NOT NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207043939_OperationsOutbox', '10.0.15');

ALTER TABLE "tags" ADD "pull_count" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "repositories" ADD "last_pulled_at" INTEGER NULL;

ALTER TABLE "repositories" ADD "pull_count" INTEGER NOT NULL DEFAULT 0;

UPDATE repositories SET last_pulled_at = (SELECT MAX(t.last_pulled_at) FROM tags t WHERE t.repository = repositories.name);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207074954_PullCounts', '10.0.15');

CREATE TABLE "search_documents" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_search_documents" PRIMARY KEY AUTOINCREMENT,
    "repository" TEXT NOT NULL,
    "organization" TEXT NOT NULL,
    "name_words" TEXT NOT NULL,
    "description_words" TEXT NOT NULL,
    "tag_words" TEXT NOT NULL,
    "label_words" TEXT NOT NULL,
    "annotation_words" TEXT NOT NULL,
    "image_words" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "architectures" TEXT NOT NULL,
    "platforms" TEXT NOT NULL,
    "recent_tags" TEXT NOT NULL,
    "tag_count" INTEGER NOT NULL,
    "last_pushed_at" INTEGER NULL,
    "signed" INTEGER NOT NULL,
    "indexed_at" INTEGER NOT NULL
);

CREATE TABLE "search_images" (
    "repository" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "annotations" TEXT NOT NULL,
    "platforms" TEXT NOT NULL,
    "base_image" TEXT NULL,
    CONSTRAINT "PK_search_images" PRIMARY KEY ("repository", "digest")
);

CREATE INDEX "IX_search_documents_last_pushed_at" ON "search_documents" ("last_pushed_at");

CREATE INDEX "IX_search_documents_organization" ON "search_documents" ("organization");

CREATE UNIQUE INDEX "IX_search_documents_repository" ON "search_documents" ("repository");

CREATE VIRTUAL TABLE search_fts USING fts5(name_words, description_words, tag_words, label_words, annotation_words, image_words, content='search_documents', content_rowid='id', tokenize='unicode61', prefix='2 3');

CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN INSERT INTO search_fts(rowid, name_words, description_words, tag_words, label_words, annotation_words, image_words) VALUES (new.id, new.name_words, new.description_words, new.tag_words, new.label_words, new.annotation_words, new.image_words); END;

CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN INSERT INTO search_fts(search_fts, rowid, name_words, description_words, tag_words, label_words, annotation_words, image_words) VALUES ('delete', old.id, old.name_words, old.description_words, old.tag_words, old.label_words, old.annotation_words, old.image_words); END;

CREATE TRIGGER search_documents_fts_update AFTER UPDATE ON search_documents BEGIN INSERT INTO search_fts(search_fts, rowid, name_words, description_words, tag_words, label_words, annotation_words, image_words) VALUES ('delete', old.id, old.name_words, old.description_words, old.tag_words, old.label_words, old.annotation_words, old.image_words); INSERT INTO search_fts(rowid, name_words, description_words, tag_words, label_words, annotation_words, image_words) VALUES (new.id, new.name_words, new.description_words, new.tag_words, new.label_words, new.annotation_words, new.image_words); END;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207104527_Search', '10.0.15');

CREATE INDEX "IX_repositories_visibility" ON "repositories" ("visibility");

CREATE INDEX "IX_audit_entries_actor_name_id" ON "audit_entries" ("actor_name", "id");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207115829_ScaleIndexes', '10.0.15');

