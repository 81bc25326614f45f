namespace KetaCare.Cli;

/// <summary>A table of already-formatted cells, rendered by <see cref="CliContext.Write"/>.</summary>
internal sealed class TextTable
{
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table; a header starting with '&gt;' is right-aligned (the marker is removed).</summary>
    public TextTable(params string[] headers)
    {
        Headers = [.. headers.Select(h => h.TrimStart('>'))];
        RightAligned = [.. headers.Select(h => h.StartsWith('>'))];
    }

    public IReadOnlyList<string> Headers { get; }

    public IReadOnlyList<bool> RightAligned { get; }

    public IReadOnlyList<string[]> Rows => _rows;

    public TextTable Add(params string[] cells)
    {
        if (cells.Length != Headers.Count)
        {
            throw new ArgumentException($"Expected {Headers.Count} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Columns separated by two spaces, a dashed line under the header; no trailing spaces.</summary>
    public void WritePlain(TextWriter w)
    {
        var widths = new int[Headers.Count];
        for (var i = 0; i < widths.Length; i++)
        {
            widths[i] = Math.Max(Headers[i].Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length));
        }

        WriteLine(w, Headers, widths);
        WriteLine(w, [.. widths.Select(x => new string('-', x))], widths);
        foreach (var row in _rows)
        {
            WriteLine(w, row, widths);
        }
    }

    private void WriteLine(TextWriter w, IReadOnlyList<string> cells, int[] widths)
    {
        var parts = new string[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            parts[i] = RightAligned[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]);
        }

        w.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}
