using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GrowthBrain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    subject_kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    detail = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "closed_lead_days",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false),
                    cycle_days = table.Column<long>(type: "INTEGER", nullable: false),
                    cycle_days_squared = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_closed_lead_days", x => new { x.team_id, x.day, x.outcome });
                });

            migrationBuilder.CreateTable(
                name: "crm_links",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    crm = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    record_kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    local_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    last_synced_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_crm_links", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    friendly_name = table.Column<string>(type: "TEXT", nullable: true),
                    xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "lead_group_stats",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    dimension = table.Column<int>(type: "INTEGER", nullable: false),
                    named = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    days = table.Column<int>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false),
                    won = table.Column<long>(type: "INTEGER", nullable: false),
                    lost = table.Column<long>(type: "INTEGER", nullable: false),
                    scored = table.Column<long>(type: "INTEGER", nullable: false),
                    score_micros = table.Column<long>(type: "INTEGER", nullable: false),
                    top_graded = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_group_stats", x => new { x.team_id, x.dimension, x.named, x.name, x.days });
                });

            migrationBuilder.CreateTable(
                name: "lead_score_moves",
                columns: table => new
                {
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    from_probability = table.Column<double>(type: "REAL", nullable: false),
                    to_probability = table.Column<double>(type: "REAL", nullable: false),
                    change = table.Column<double>(type: "REAL", nullable: false),
                    scored_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_score_moves", x => x.lead_id);
                });

            migrationBuilder.CreateTable(
                name: "mailbox_cursors",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    mailbox = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    uid_validity = table.Column<long>(type: "INTEGER", nullable: false),
                    last_uid = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mailbox_cursors", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "open_lead_stages",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    stage = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    activity_day = table.Column<int>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_open_lead_stages", x => new { x.team_id, x.stage, x.activity_day });
                });

            migrationBuilder.CreateTable(
                name: "owner_activity_days",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    named = table.Column<int>(type: "INTEGER", nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    type = table.Column<int>(type: "INTEGER", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    activities = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_owner_activity_days", x => new { x.team_id, x.type, x.day, x.named, x.owner });
                });

            migrationBuilder.CreateTable(
                name: "owner_lead_days",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    named = table.Column<int>(type: "INTEGER", nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_owner_lead_days", x => new { x.team_id, x.kind, x.day, x.named, x.owner });
                });

            migrationBuilder.CreateTable(
                name: "pending_indexes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    table_name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    index_name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    create_sql = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_indexes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stored_secrets",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    protected_value = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stored_secrets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "suppressions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: true),
                    email_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    reason = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_suppressions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "team_lead_counts",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_lead_counts", x => x.team_id);
                });

            migrationBuilder.CreateTable(
                name: "team_playbooks",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    content = table.Column<string>(type: "TEXT", nullable: false),
                    auto_send_allowed = table.Column<bool>(type: "INTEGER", nullable: false),
                    daily_cap_per_mailbox = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_playbooks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "teams",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_teams", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "won_cycle_months",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    month = table.Column<int>(type: "INTEGER", nullable: false),
                    cycle_days = table.Column<int>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_won_cycle_months", x => new { x.team_id, x.month, x.cycle_days });
                });

            migrationBuilder.CreateTable(
                name: "leads",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email_normalized = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    name_key = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    first_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    last_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    phone = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    company = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    job_title = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    industry = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    company_size = table.Column<int>(type: "INTEGER", nullable: true),
                    annual_revenue = table.Column<double>(type: "REAL", precision: 18, scale: 2, nullable: true),
                    country = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    city = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    source = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    campaign = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    owner = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    stage = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    deal_value = table.Column<double>(type: "REAL", precision: 18, scale: 2, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    closed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    notes = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: true),
                    lawful_basis = table.Column<int>(type: "INTEGER", nullable: false),
                    consent_status = table.Column<int>(type: "INTEGER", nullable: false),
                    consent_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    consent_source = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    anonymised_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    custom_fields = table.Column<string>(type: "TEXT", nullable: false),
                    content_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    score_probability = table.Column<double>(type: "REAL", nullable: true),
                    score_grade = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    model_probability = table.Column<double>(type: "REAL", nullable: true),
                    model_grade = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    score_override_id = table.Column<long>(type: "INTEGER", nullable: true),
                    score_model_version_id = table.Column<long>(type: "INTEGER", nullable: true),
                    scored_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    imported_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_leads", x => x.id);
                    table.ForeignKey(
                        name: "FK_leads_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "model_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    is_cold_start = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    promoted_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    promoted_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    promotion_note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    trained_from = table.Column<DateTime>(type: "TEXT", nullable: true),
                    trained_to = table.Column<DateTime>(type: "TEXT", nullable: true),
                    training_rows = table.Column<int>(type: "INTEGER", nullable: false),
                    holdout_rows = table.Column<int>(type: "INTEGER", nullable: false),
                    holdout_roc_auc = table.Column<double>(type: "REAL", nullable: true),
                    holdout_log_loss = table.Column<double>(type: "REAL", nullable: true),
                    report = table.Column<string>(type: "TEXT", nullable: false),
                    feature_schema = table.Column<string>(type: "TEXT", nullable: false),
                    model = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_versions", x => x.id);
                    table.ForeignKey(
                        name: "FK_model_versions_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "pending_crm_erasures",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    crm = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    record_kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    email_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    requested_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_attempt_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_crm_erasures", x => x.id);
                    table.ForeignKey(
                        name: "FK_pending_crm_erasures_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sequences",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    steps = table.Column<string>(type: "TEXT", nullable: false),
                    archived = table.Column<bool>(type: "INTEGER", nullable: false),
                    paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    last_step_id = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sequences", x => x.id);
                    table.ForeignKey(
                        name: "FK_sequences_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "team_changes",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    changed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    what = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_changes", x => x.team_id);
                    table.ForeignKey(
                        name: "FK_team_changes_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "team_settings",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    protected_attributes = table.Column<string>(type: "TEXT", nullable: true),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_settings", x => x.id);
                    table.ForeignKey(
                        name: "FK_team_settings_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    role = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", nullable: true),
                    security_stamp = table.Column<string>(type: "TEXT", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "TEXT", nullable: true),
                    phone_number = table.Column<string>(type: "TEXT", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    access_failed_count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.id);
                    table.ForeignKey(
                        name: "FK_users_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "activities",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    type = table.Column<int>(type: "INTEGER", nullable: false),
                    occurred_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activities", x => x.id);
                    table.ForeignKey(
                        name: "FK_activities_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_activities_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "follow_up_drafts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    writer = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    goal = table.Column<int>(type: "INTEGER", nullable: false),
                    tone = table.Column<int>(type: "INTEGER", nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    call_to_action = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    violations = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    playbook_version = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    original_subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    original_body = table.Column<string>(type: "TEXT", nullable: false),
                    edit_diff = table.Column<string>(type: "TEXT", nullable: true),
                    edited_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    edited_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    approved_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    approved_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    rejected_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    rejected_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    rejection_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    rating = table.Column<int>(type: "INTEGER", nullable: true),
                    rating_comment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    rated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    rated_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    message_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    mailbox = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    sent_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    send_started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    sent_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_follow_up_drafts", x => x.id);
                    table.ForeignKey(
                        name: "FK_follow_up_drafts_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_follow_up_drafts_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "lead_first_responses",
                columns: table => new
                {
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    first_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    hours = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_first_responses", x => x.lead_id);
                    table.ForeignKey(
                        name: "FK_lead_first_responses_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "lead_tasks",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    due_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    enrolment_id = table.Column<long>(type: "INTEGER", nullable: true),
                    done_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    done_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_tasks", x => x.id);
                    table.ForeignKey(
                        name: "FK_lead_tasks_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "score_overrides",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    grade = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    probability = table.Column<double>(type: "REAL", nullable: true),
                    rank_probability = table.Column<double>(type: "REAL", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    set_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    set_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    model_probability = table.Column<double>(type: "REAL", nullable: true),
                    model_grade = table.Column<string>(type: "TEXT", nullable: true),
                    cleared_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    cleared_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    clear_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_score_overrides", x => x.id);
                    table.ForeignKey(
                        name: "FK_score_overrides_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "lead_scores",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    model_version_id = table.Column<long>(type: "INTEGER", nullable: false),
                    probability = table.Column<double>(type: "REAL", nullable: false),
                    grade = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    scored_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_scores", x => x.id);
                    table.ForeignKey(
                        name: "FK_lead_scores_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_lead_scores_model_versions_model_version_id",
                        column: x => x.model_version_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sequence_enrolments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    sequence_id = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    current_step = table.Column<int>(type: "INTEGER", nullable: false),
                    current_step_id = table.Column<int>(type: "INTEGER", nullable: true),
                    next_due_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    waiting_draft_id = table.Column<long>(type: "INTEGER", nullable: true),
                    enrolled_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    enrolled_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    last_step_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    paused_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    stopped_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    stop_reason = table.Column<int>(type: "INTEGER", nullable: true),
                    stopped_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sequence_enrolments", x => x.id);
                    table.ForeignKey(
                        name: "FK_sequence_enrolments_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_sequence_enrolments_sequences_sequence_id",
                        column: x => x.sequence_id,
                        principalTable: "sequences",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_sequence_enrolments_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    prefix = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    secret_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    scopes = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_used_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "FK_api_keys_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "team_members",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_members", x => new { x.user_id, x.team_id });
                    table.ForeignKey(
                        name: "FK_team_members_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_team_members_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    claim_type = table.Column<string>(type: "TEXT", nullable: true),
                    claim_value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "FK_user_claims_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_logins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "TEXT", nullable: false),
                    provider_key = table.Column<string>(type: "TEXT", nullable: false),
                    provider_display_name = table.Column<string>(type: "TEXT", nullable: true),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "FK_user_logins_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_tokens",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    login_provider = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "FK_user_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sequence_step_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    enrolment_id = table.Column<long>(type: "INTEGER", nullable: false),
                    step_index = table.Column<int>(type: "INTEGER", nullable: false),
                    step_id = table.Column<int>(type: "INTEGER", nullable: true),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    claimed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    claimed_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    draft_id = table.Column<long>(type: "INTEGER", nullable: true),
                    task_id = table.Column<long>(type: "INTEGER", nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sequence_step_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_sequence_step_runs_sequence_enrolments_enrolment_id",
                        column: x => x.enrolment_id,
                        principalTable: "sequence_enrolments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_activities_lead_id_occurred_at",
                table: "activities",
                columns: new[] { "lead_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_activities_team_id_occurred_at",
                table: "activities",
                columns: new[] { "team_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_activities_team_id_type_occurred_at",
                table: "activities",
                columns: new[] { "team_id", "type", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_prefix",
                table: "api_keys",
                column: "prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_user_id",
                table: "api_keys",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_at",
                table: "audit_entries",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_subject_kind_subject_id",
                table: "audit_entries",
                columns: new[] { "subject_kind", "subject_id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_team_id_at",
                table: "audit_entries",
                columns: new[] { "team_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_crm_links_record_kind_local_id",
                table: "crm_links",
                columns: new[] { "record_kind", "local_id" });

            migrationBuilder.CreateIndex(
                name: "IX_crm_links_team_id_crm_record_kind_external_id",
                table: "crm_links",
                columns: new[] { "team_id", "crm", "record_kind", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_follow_up_drafts_lead_id",
                table: "follow_up_drafts",
                column: "lead_id");

            migrationBuilder.CreateIndex(
                name: "IX_follow_up_drafts_mailbox_send_started_at",
                table: "follow_up_drafts",
                columns: new[] { "mailbox", "send_started_at" });

            migrationBuilder.CreateIndex(
                name: "IX_follow_up_drafts_team_id_status",
                table: "follow_up_drafts",
                columns: new[] { "team_id", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_lead_first_responses_team_id_created_at_owner_hours",
                table: "lead_first_responses",
                columns: new[] { "team_id", "created_at", "owner", "hours" });

            migrationBuilder.CreateIndex(
                name: "IX_lead_score_moves_team_id_day_change_lead_id",
                table: "lead_score_moves",
                columns: new[] { "team_id", "day", "change", "lead_id" },
                descending: new[] { false, false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_lead_scores_lead_id_scored_at",
                table: "lead_scores",
                columns: new[] { "lead_id", "scored_at" });

            migrationBuilder.CreateIndex(
                name: "IX_lead_scores_model_version_id",
                table: "lead_scores",
                column: "model_version_id");

            migrationBuilder.CreateIndex(
                name: "IX_lead_tasks_lead_id_done_at",
                table: "lead_tasks",
                columns: new[] { "lead_id", "done_at" });

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_closed_at",
                table: "leads",
                columns: new[] { "team_id", "closed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_created_at",
                table: "leads",
                columns: new[] { "team_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_email_normalized",
                table: "leads",
                columns: new[] { "team_id", "email_normalized" });

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_external_id",
                table: "leads",
                columns: new[] { "team_id", "external_id" });

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_name_key",
                table: "leads",
                columns: new[] { "team_id", "name_key" });

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_outcome_last_activity_at",
                table: "leads",
                columns: new[] { "team_id", "outcome", "last_activity_at" });

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_outcome_score_probability",
                table: "leads",
                columns: new[] { "team_id", "outcome", "score_probability" });

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_cursors_mailbox",
                table: "mailbox_cursors",
                column: "mailbox",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_one_active",
                table: "model_versions",
                column: "team_id",
                unique: true,
                filter: "status = 1");

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_team_id_number",
                table: "model_versions",
                columns: new[] { "team_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_team_id_status",
                table: "model_versions",
                columns: new[] { "team_id", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_pending_crm_erasures_team_id_crm",
                table: "pending_crm_erasures",
                columns: new[] { "team_id", "crm" });

            migrationBuilder.CreateIndex(
                name: "IX_score_overrides_lead_id_set_at",
                table: "score_overrides",
                columns: new[] { "lead_id", "set_at" });

            migrationBuilder.CreateIndex(
                name: "IX_sequence_enrolments_lead_id",
                table: "sequence_enrolments",
                column: "lead_id");

            migrationBuilder.CreateIndex(
                name: "IX_sequence_enrolments_sequence_id",
                table: "sequence_enrolments",
                column: "sequence_id");

            migrationBuilder.CreateIndex(
                name: "IX_sequence_enrolments_status_next_due_at",
                table: "sequence_enrolments",
                columns: new[] { "status", "next_due_at" });

            migrationBuilder.CreateIndex(
                name: "IX_sequence_enrolments_team_id",
                table: "sequence_enrolments",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_sequence_step_runs_draft_id",
                table: "sequence_step_runs",
                column: "draft_id");

            migrationBuilder.CreateIndex(
                name: "IX_sequence_step_runs_enrolment_id_step_id",
                table: "sequence_step_runs",
                columns: new[] { "enrolment_id", "step_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sequences_team_id_name",
                table: "sequences",
                columns: new[] { "team_id", "name" });

            migrationBuilder.CreateIndex(
                name: "IX_stored_secrets_kind",
                table: "stored_secrets",
                column: "kind",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_suppressions_email_hash",
                table: "suppressions",
                column: "email_hash");

            migrationBuilder.CreateIndex(
                name: "IX_team_members_team_id",
                table: "team_members",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_team_playbooks_team_id",
                table: "team_playbooks",
                column: "team_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_team_settings_team_id",
                table: "team_settings",
                column: "team_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_user_claims_user_id",
                table: "user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_user_logins_user_id",
                table: "user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "IX_users_team_id",
                table: "users",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "users",
                column: "normalized_user_name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activities");

            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "closed_lead_days");

            migrationBuilder.DropTable(
                name: "crm_links");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "follow_up_drafts");

            migrationBuilder.DropTable(
                name: "lead_first_responses");

            migrationBuilder.DropTable(
                name: "lead_group_stats");

            migrationBuilder.DropTable(
                name: "lead_score_moves");

            migrationBuilder.DropTable(
                name: "lead_scores");

            migrationBuilder.DropTable(
                name: "lead_tasks");

            migrationBuilder.DropTable(
                name: "mailbox_cursors");

            migrationBuilder.DropTable(
                name: "open_lead_stages");

            migrationBuilder.DropTable(
                name: "owner_activity_days");

            migrationBuilder.DropTable(
                name: "owner_lead_days");

            migrationBuilder.DropTable(
                name: "pending_crm_erasures");

            migrationBuilder.DropTable(
                name: "pending_indexes");

            migrationBuilder.DropTable(
                name: "score_overrides");

            migrationBuilder.DropTable(
                name: "sequence_step_runs");

            migrationBuilder.DropTable(
                name: "stored_secrets");

            migrationBuilder.DropTable(
                name: "suppressions");

            migrationBuilder.DropTable(
                name: "team_changes");

            migrationBuilder.DropTable(
                name: "team_lead_counts");

            migrationBuilder.DropTable(
                name: "team_members");

            migrationBuilder.DropTable(
                name: "team_playbooks");

            migrationBuilder.DropTable(
                name: "team_settings");

            migrationBuilder.DropTable(
                name: "user_claims");

            migrationBuilder.DropTable(
                name: "user_logins");

            migrationBuilder.DropTable(
                name: "user_tokens");

            migrationBuilder.DropTable(
                name: "won_cycle_months");

            migrationBuilder.DropTable(
                name: "model_versions");

            migrationBuilder.DropTable(
                name: "sequence_enrolments");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "leads");

            migrationBuilder.DropTable(
                name: "sequences");

            migrationBuilder.DropTable(
                name: "teams");
        }
    }
}
