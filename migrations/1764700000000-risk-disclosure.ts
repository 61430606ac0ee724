import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PLATFORM_DISCLOSURE_V1_SEED as PLATFORM_DISCLOSURE_V1 } from './seed/platform-disclosure-v1.js';

/** Fixed, so that every environment names the platform document the same way. */
const PLATFORM_DOCUMENT_ID = '7a1b0c2d-0000-4000-8000-000000000001';

/**
 * Risk disclosure (CN-ECF-10, CN-SUIT-11, CN-SUIT-15, CN-SUIT-16): documents (the platform's
 * general 风险揭示书 and one per campaign), their published versions, investors' acknowledgements
 * and signed special written risk warnings. Versions, acknowledgements and warnings are evidence:
 * append-only (reject_modification), and every stored SHA-256 is checked by the database itself,
 * so that what an investor accepted can be proven later.
 */
export class RiskDisclosure1764700000000 implements MigrationInterface {
  name = 'RiskDisclosure1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "disclosure_documents" (
        "id" uuid NOT NULL,
        "scope" text NOT NULL,
        "campaign_id" uuid,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "disclosure_documents_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "disclosure_documents_scope_campaign_key" UNIQUE ("scope", "campaign_id"),
        CONSTRAINT "disclosure_documents_scope_check" CHECK ("scope" IN ('PLATFORM', 'CAMPAIGN')),
        CONSTRAINT "disclosure_documents_campaign_check" CHECK (("scope" = 'CAMPAIGN') = ("campaign_id" IS NOT NULL)),
        CONSTRAINT "disclosure_documents_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    // The unique constraint cannot stop a second PLATFORM row (its campaign_id is NULL): this can.
    await q.query(
      `CREATE UNIQUE INDEX "disclosure_documents_one_platform" ON "disclosure_documents" ("scope") WHERE "scope" = 'PLATFORM'`,
    );
    await q.query(`
      CREATE TABLE "disclosure_versions" (
        "document_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "title" text NOT NULL,
        "body" text NOT NULL,
        "sha256" character(64) NOT NULL,
        "material" boolean NOT NULL,
        "published_by" uuid,
        "published_at" timestamptz NOT NULL,
        CONSTRAINT "disclosure_versions_pkey" PRIMARY KEY ("document_id", "version"),
        CONSTRAINT "disclosure_versions_version_check" CHECK ("version" >= 1),
        CONSTRAINT "disclosure_versions_title_check" CHECK (length("title") BETWEEN 1 AND 200),
        CONSTRAINT "disclosure_versions_body_check" CHECK (length("body") >= 1),
        CONSTRAINT "disclosure_versions_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
        CONSTRAINT "disclosure_versions_sha256_body_check" CHECK ("sha256" = encode(sha256(convert_to("body", 'UTF8')), 'hex')),
        CONSTRAINT "disclosure_versions_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "disclosure_documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "disclosure_versions_published_by_fkey" FOREIGN KEY ("published_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(`
      CREATE TRIGGER "disclosure_versions_append_only" BEFORE UPDATE OR DELETE ON "disclosure_versions"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TABLE "disclosure_acknowledgements" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "document_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "sha256" character(64) NOT NULL,
        "acknowledged_at" timestamptz NOT NULL,
        "client_ip" text,
        "user_agent" text,
        CONSTRAINT "disclosure_acknowledgements_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "disclosure_acknowledgements_user_version_key" UNIQUE ("user_id", "document_id", "version"),
        CONSTRAINT "disclosure_acknowledgements_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
        CONSTRAINT "disclosure_acknowledgements_user_agent_check" CHECK (length("user_agent") <= 500),
        CONSTRAINT "disclosure_acknowledgements_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "disclosure_acknowledgements_version_fkey" FOREIGN KEY ("document_id", "version") REFERENCES "disclosure_versions"("document_id", "version") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    // An acknowledgement must carry the hash of the very version it names (CN-SUIT-16 evidence).
    await q.query(`
      CREATE FUNCTION "disclosure_acknowledgement_hash_matches"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM "disclosure_versions" v
          WHERE v."document_id" = NEW."document_id" AND v."version" = NEW."version" AND v."sha256" = NEW."sha256"
        ) THEN
          RAISE EXCEPTION 'acknowledged sha256 does not match disclosure % version %', NEW."document_id", NEW."version"
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER "disclosure_acknowledgements_hash_matches" BEFORE INSERT ON "disclosure_acknowledgements"
      FOR EACH ROW EXECUTE FUNCTION "disclosure_acknowledgement_hash_matches"()`);
    await q.query(`
      CREATE TRIGGER "disclosure_acknowledgements_append_only" BEFORE UPDATE OR DELETE ON "disclosure_acknowledgements"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TABLE "special_warnings" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "investor_level" text NOT NULL,
        "product_level" text NOT NULL,
        "text_version" text NOT NULL,
        "text_sha256" character(64) NOT NULL,
        "accepted_at" timestamptz NOT NULL,
        "client_ip" text,
        "user_agent" text,
        CONSTRAINT "special_warnings_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "special_warnings_investor_level_check" CHECK ("investor_level" IN ('C1', 'C2', 'C3', 'C4', 'C5')),
        CONSTRAINT "special_warnings_product_level_check" CHECK ("product_level" IN ('R1', 'R2', 'R3', 'R4', 'R5')),
        CONSTRAINT "special_warnings_text_sha256_check" CHECK ("text_sha256" ~ '^[0-9a-f]{64}$'),
        CONSTRAINT "special_warnings_user_agent_check" CHECK (length("user_agent") <= 500),
        CONSTRAINT "special_warnings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "special_warnings_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "special_warnings_user_campaign_idx" ON "special_warnings" ("user_id", "campaign_id", "accepted_at")`,
    );
    await q.query(`
      CREATE TRIGGER "special_warnings_append_only" BEFORE UPDATE OR DELETE ON "special_warnings"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);

    // The platform's general risk disclosure, version 1 (CN-ECF-10). The CHECK recomputes the hash.
    await q.query(
      `INSERT INTO "disclosure_documents" ("id", "scope", "campaign_id", "created_at") VALUES ($1, 'PLATFORM', NULL, now())`,
      [PLATFORM_DOCUMENT_ID],
    );
    await q.query(
      `INSERT INTO "disclosure_versions" ("document_id", "version", "title", "body", "sha256", "material", "published_by", "published_at")
       VALUES ($1, $2, $3, $4, encode(sha256(convert_to($4, 'UTF8')), 'hex'), true, NULL, now())`,
      [
        PLATFORM_DOCUMENT_ID,
        PLATFORM_DISCLOSURE_V1.version,
        PLATFORM_DISCLOSURE_V1.title,
        PLATFORM_DISCLOSURE_V1.body,
      ],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "special_warnings"`);
    await q.query(`DROP TABLE "disclosure_acknowledgements"`);
    await q.query(`DROP FUNCTION "disclosure_acknowledgement_hash_matches"()`);
    await q.query(`DROP TABLE "disclosure_versions"`);
    await q.query(`DROP TABLE "disclosure_documents"`);
  }
}
