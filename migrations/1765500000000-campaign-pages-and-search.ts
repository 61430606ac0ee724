import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaign pages and discovery (issue 16), all owned by the campaign module:
 *
 * - `media`: uploaded images, content-addressed (the primary key is the SHA-256 of the bytes; the
 *   bytes live in the media store, on disk by default).
 * - `campaign_content`: one row per campaign (a trigger on `campaigns` creates it): the story
 *   (Markdown), category, city code, cover, gallery, FAQ and team, and the two search columns the
 *   trigger keeps in step with the title, summary and story.
 * - `campaign_questions`: backers' questions, the founder's public answer, ADMIN's moderation.
 *
 * Search that works for Chinese: Chinese has no spaces, and a two-character word (众筹) has no
 * trigram of its own, so a pg_trgm index on the text cannot find it. `search_bigrams` holds every
 * distinct two-character pair of the text as a space-separated word (' 众筹 筹项 项目 '); pg_trgm
 * indexes those words, each padded to three trigrams, so `LIKE '% 众筹 %'` is answered from the
 * GIN index for any query of two or more characters (every pair of the query must be present),
 * and `search_text LIKE '%众筹项目%'` then keeps only true substrings. The LIKE is exact in any
 * locale; the index needs a database whose LC_CTYPE classifies CJK as letters (C.UTF-8, zh_CN.UTF-8,
 * en_US.UTF-8; not C/POSIX), see docs/campaigns.md.
 */
export class CampaignPagesAndSearch1765500000000 implements MigrationInterface {
  name = 'CampaignPagesAndSearch1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE "media" (
        "sha256" character(64) NOT NULL,
        "content_type" text NOT NULL,
        "byte_size" integer NOT NULL,
        "width" integer NOT NULL,
        "height" integer NOT NULL,
        "uploaded_by" uuid NOT NULL,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "media_pkey" PRIMARY KEY ("sha256"),
        CONSTRAINT "media_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
        CONSTRAINT "media_content_type_check" CHECK ("content_type" IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
        CONSTRAINT "media_size_check" CHECK ("byte_size" > 0 AND "width" > 0 AND "height" > 0),
        CONSTRAINT "media_uploaded_by_fkey" FOREIGN KEY ("uploaded_by") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(`
      CREATE TABLE "campaign_content" (
        "campaign_id" uuid NOT NULL,
        "story" text NOT NULL,
        "category" text,
        "city_code" character(6),
        "cover_media_id" character(64),
        "gallery" jsonb NOT NULL,
        "faq" jsonb NOT NULL,
        "team" jsonb NOT NULL,
        "search_text" text NOT NULL,
        "search_bigrams" text NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "campaign_content_pkey" PRIMARY KEY ("campaign_id"),
        CONSTRAINT "campaign_content_category_check" CHECK ("category" IS NULL OR "category" IN ('TECHNOLOGY', 'DESIGN', 'FOOD', 'CULTURE', 'AGRICULTURE', 'HEALTH', 'EDUCATION', 'ENVIRONMENT', 'COMMUNITY', 'CHARITY', 'BUSINESS', 'OTHER')),
        CONSTRAINT "campaign_content_city_code_check" CHECK ("city_code" IS NULL OR "city_code" ~ '^[1-8][0-9]{5}$'),
        CONSTRAINT "campaign_content_story_check" CHECK (char_length("story") <= 20000),
        CONSTRAINT "campaign_content_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE,
        CONSTRAINT "campaign_content_cover_media_id_fkey" FOREIGN KEY ("cover_media_id") REFERENCES "media"("sha256") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "campaign_content_category_idx" ON "campaign_content" ("category", "campaign_id")`,
    );
    await q.query(
      `CREATE INDEX "campaign_content_search_bigrams_idx" ON "campaign_content" USING gin ("search_bigrams" gin_trgm_ops)`,
    );
    // The sort orders of GET /campaigns, each with the id as tie-breaker (keyset pagination).
    await q.query(
      `CREATE INDEX "campaigns_sort_newest_idx" ON "campaigns" ("status", "created_at" DESC, "id" DESC)`,
    );
    await q.query(
      `CREATE INDEX "campaigns_sort_ending_idx" ON "campaigns" ("status", "deadline", "id")`,
    );
    await q.query(
      `CREATE INDEX "campaigns_sort_most_funded_idx" ON "campaigns" ("status", "committed" DESC, "id" DESC)`,
    );
    await q.query(
      `CREATE INDEX "campaigns_sort_progress_idx" ON "campaigns" ("status", ("committed" / "target_amount") DESC, "id" DESC)`,
    );

    // Every distinct pair of characters that are not white space or punctuation, as words.
    await q.query(`
      CREATE FUNCTION campaign_search_bigrams(doc text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT ' ' || coalesce(string_agg(DISTINCT pair, ' '), '') || ' '
        FROM (SELECT substr(doc, i, 2) AS pair
              FROM generate_series(1, char_length(doc) - 1) AS i) AS pairs
        WHERE pair !~ '[[:space:]!-/:-@[-\`{-~，。、！？；：（）【】《》「」『』“”‘’…—·]'
      $$`);
    await q.query(`
      CREATE FUNCTION campaign_content_search() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE c record;
      BEGIN
        SELECT title, summary INTO c FROM campaigns WHERE id = NEW.campaign_id;
        NEW.search_text := lower(coalesce(c.title, '') || E'\\n' || coalesce(c.summary, '') || E'\\n' || NEW.story);
        NEW.search_bigrams := campaign_search_bigrams(NEW.search_text);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER "campaign_content_search" BEFORE INSERT OR UPDATE ON "campaign_content"
      FOR EACH ROW EXECUTE FUNCTION campaign_content_search()`);
    // A new campaign gets its (empty) page; a new title or summary refreshes the search columns.
    await q.query(`
      CREATE FUNCTION campaigns_content_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO campaign_content (campaign_id, story, gallery, faq, team, search_text, search_bigrams, updated_at)
        VALUES (NEW.id, '', '[]', '[]', '[]', '', '', NEW.updated_at)
        ON CONFLICT (campaign_id) DO UPDATE SET story = campaign_content.story;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER "campaigns_content_row" AFTER INSERT OR UPDATE OF "title", "summary" ON "campaigns"
      FOR EACH ROW EXECUTE FUNCTION campaigns_content_row()`);
    await q.query(`
      INSERT INTO campaign_content (campaign_id, story, gallery, faq, team, search_text, search_bigrams, updated_at)
      SELECT id, '', '[]', '[]', '[]', '', '', updated_at FROM campaigns`);

    await q.query(`
      CREATE TABLE "campaign_questions" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "asker_id" uuid NOT NULL,
        "body" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "answer" text,
        "answered_by" uuid,
        "answered_at" timestamptz,
        "hidden_at" timestamptz,
        "hidden_by" uuid,
        "hidden_reason" text,
        CONSTRAINT "campaign_questions_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "campaign_questions_body_check" CHECK (char_length("body") BETWEEN 1 AND 2000),
        CONSTRAINT "campaign_questions_answer_check" CHECK (("answer" IS NULL) = ("answered_at" IS NULL) AND ("answer" IS NULL) = ("answered_by" IS NULL) AND ("answer" IS NULL OR char_length("answer") BETWEEN 1 AND 5000)),
        CONSTRAINT "campaign_questions_hidden_check" CHECK (("hidden_at" IS NULL) = ("hidden_by" IS NULL) AND ("hidden_at" IS NULL) = ("hidden_reason" IS NULL)),
        CONSTRAINT "campaign_questions_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE,
        CONSTRAINT "campaign_questions_asker_id_fkey" FOREIGN KEY ("asker_id") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "campaign_questions_campaign_idx" ON "campaign_questions" ("campaign_id", "created_at" DESC, "id" DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "campaign_questions"`);
    await q.query(`DROP TRIGGER "campaigns_content_row" ON "campaigns"`);
    await q.query(`DROP FUNCTION campaigns_content_row()`);
    await q.query(`DROP TABLE "campaign_content"`);
    await q.query(`DROP FUNCTION campaign_content_search()`);
    await q.query(`DROP FUNCTION campaign_search_bigrams(text)`);
    await q.query(`DROP INDEX "campaigns_sort_progress_idx"`);
    await q.query(`DROP INDEX "campaigns_sort_most_funded_idx"`);
    await q.query(`DROP INDEX "campaigns_sort_ending_idx"`);
    await q.query(`DROP INDEX "campaigns_sort_newest_idx"`);
    await q.query(`DROP TABLE "media"`);
    // pg_trgm stays: another object may use it, and dropping an extension is the operator's call.
  }
}
