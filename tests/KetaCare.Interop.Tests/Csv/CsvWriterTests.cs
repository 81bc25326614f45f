using KetaCare.Interop.Csv;

namespace KetaCare.Interop.Tests.Csv;

/// <summary>CSV formula injection (OWASP): a cell a spreadsheet would run as a formula is written as text.</summary>
public sealed class CsvWriterTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example/\",\"open\")", "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"open\"\")\"")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    public void Row_CellThatASpreadsheetRunsAsAFormula_IsWrittenAsText(string cell, string written)
    {
        var csv = new CsvWriter(["a"]);
        csv.Row([cell]);
        Assert.Equal("a\r\n" + written + "\r\n", csv.ToString());
    }

    [Theory]
    [InlineData("-1.5")]
    [InlineData("-40")]
    [InlineData("0.25")]
    [InlineData("O'Brien")]
    [InlineData("")]
    public void Row_NegativeNumberOrPlainText_IsLeftAsItIs(string cell)
    {
        var csv = new CsvWriter(["a"]);
        csv.Row([cell]);
        Assert.Equal("a\r\n" + CsvWriter.Quote(cell) + "\r\n", csv.ToString());
    }
}
