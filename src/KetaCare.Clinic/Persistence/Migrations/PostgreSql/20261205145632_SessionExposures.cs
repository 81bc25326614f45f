using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KetaCare.Clinic.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class SessionExposures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "session_exposures",
                columns: table => new
                {
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_version = table.Column<long>(type: "bigint", nullable: false),
                    model_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    covariates = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    method = table.Column<int>(type: "integer", nullable: false),
                    document = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_session_exposures", x => x.session_id);
                    table.ForeignKey(
                        name: "FK_session_exposures_infusion_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "infusion_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_session_exposures_patient_id",
                table: "session_exposures",
                column: "patient_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "session_exposures");
        }
    }
}
