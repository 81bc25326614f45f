using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KetaCare.Clinic.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProtocolLibrary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "protocols",
                columns: table => new
                {
                    protocol_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    protocol_version = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    document = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_protocols", x => new { x.protocol_id, x.protocol_version });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "protocols");
        }
    }
}
