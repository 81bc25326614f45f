using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KetaCare.Clinic.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StockLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "stock_locations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_locations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stock_products",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    concentration_mg_per_ml = table.Column<double>(type: "REAL", nullable: false),
                    container_microliters = table.Column<long>(type: "INTEGER", nullable: false),
                    code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_products", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stock_lots",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    product_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    lot_number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    expiry = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    hold = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_lots", x => x.id);
                    table.ForeignKey(
                        name: "FK_stock_lots_stock_products_product_id",
                        column: x => x.product_id,
                        principalTable: "stock_products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_balances",
                columns: table => new
                {
                    lot_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    location_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    on_hand_microliters = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_balances", x => new { x.lot_id, x.location_id });
                    table.CheckConstraint("ck_stock_balances_on_hand", "on_hand_microliters >= 0");
                    table.ForeignKey(
                        name: "FK_stock_balances_stock_locations_location_id",
                        column: x => x.location_id,
                        principalTable: "stock_locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_stock_balances_stock_lots_lot_id",
                        column: x => x.lot_id,
                        principalTable: "stock_lots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_discrepancies",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    lot_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    location_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    expected_microliters = table.Column<long>(type: "INTEGER", nullable: false),
                    counted_microliters = table.Column<long>(type: "INTEGER", nullable: false),
                    found_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    counted_by = table.Column<Guid>(type: "TEXT", nullable: false),
                    witnessed_by = table.Column<Guid>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    investigation = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    resolution = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    resolved_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_discrepancies", x => x.id);
                    table.ForeignKey(
                        name: "FK_stock_discrepancies_stock_locations_location_id",
                        column: x => x.location_id,
                        principalTable: "stock_locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_stock_discrepancies_stock_lots_lot_id",
                        column: x => x.lot_id,
                        principalTable: "stock_lots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_movements",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    movement_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    by = table.Column<Guid>(type: "TEXT", nullable: false),
                    witnessed_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    lot_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    location_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    change_microliters = table.Column<long>(type: "INTEGER", nullable: false),
                    amount_mg = table.Column<double>(type: "REAL", nullable: false),
                    patient_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    session_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    party = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    stated_microliters = table.Column<long>(type: "INTEGER", nullable: true),
                    concentration_mg_per_ml = table.Column<double>(type: "REAL", nullable: true),
                    discrepancy_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_movements", x => x.sequence);
                    table.ForeignKey(
                        name: "FK_stock_movements_stock_locations_location_id",
                        column: x => x.location_id,
                        principalTable: "stock_locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_stock_movements_stock_lots_lot_id",
                        column: x => x.lot_id,
                        principalTable: "stock_lots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_stock_balances_location_id",
                table: "stock_balances",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_stock_discrepancies_location_id",
                table: "stock_discrepancies",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_stock_discrepancies_lot_id",
                table: "stock_discrepancies",
                column: "lot_id");

            migrationBuilder.CreateIndex(
                name: "IX_stock_discrepancies_status",
                table: "stock_discrepancies",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_stock_locations_name",
                table: "stock_locations",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_stock_lots_product_id_lot_number",
                table: "stock_lots",
                columns: new[] { "product_id", "lot_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_stock_movements_location_id",
                table: "stock_movements",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_stock_movements_lot_id_location_id",
                table: "stock_movements",
                columns: new[] { "lot_id", "location_id" });

            migrationBuilder.CreateIndex(
                name: "IX_stock_movements_movement_id",
                table: "stock_movements",
                column: "movement_id");

            migrationBuilder.CreateIndex(
                name: "IX_stock_movements_session_id",
                table: "stock_movements",
                column: "session_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "stock_balances");

            migrationBuilder.DropTable(
                name: "stock_discrepancies");

            migrationBuilder.DropTable(
                name: "stock_movements");

            migrationBuilder.DropTable(
                name: "stock_locations");

            migrationBuilder.DropTable(
                name: "stock_lots");

            migrationBuilder.DropTable(
                name: "stock_products");
        }
    }
}
