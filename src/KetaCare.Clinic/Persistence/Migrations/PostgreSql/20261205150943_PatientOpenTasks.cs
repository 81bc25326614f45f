using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KetaCare.Clinic.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class PatientOpenTasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "open_tasks",
                table: "patients",
                type: "integer",
                nullable: false,
                defaultValue: -1); // rows stored before the count existed: not counted yet (PatientRecord.OpenTasks)

            migrationBuilder.CreateIndex(
                name: "IX_patients_open_tasks",
                table: "patients",
                column: "open_tasks");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_patients_open_tasks",
                table: "patients");

            migrationBuilder.DropColumn(
                name: "open_tasks",
                table: "patients");
        }
    }
}
