using System.Text;

namespace GrowthBrain.Leads.Import;

/// <summary>One CSV record: its fields, its 1-based data-row number and the file line it starts on.</summary>
public readonly record struct CsvRecord(IReadOnlyList<string> Fields, int RowNumber, long LineNumber, string? Error);

/// <summary>
/// Streaming RFC 4180 reader: quoted fields with separators, doubled quotes and line breaks, CRLF or LF,
/// UTF-8 with or without BOM. Detects comma, semicolon or tab from the header line. Memory stays flat:
/// one record is held at a time.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[1 << 16];
    private int _pos;
    private int _len;
    private long _line = 1;
    private int _row;
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = new(64);

    public CsvRecordReader(Stream stream, char? separator = null)
    {
        _reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        Stream = stream;
        Separator = separator ?? DetectSeparator();
        _special = System.Buffers.SearchValues.Create([Separator, '"', '\n', '\r']);
    }

    private readonly System.Buffers.SearchValues<char> _special;

    public Stream Stream { get; }

    public char Separator { get; }

    /// <summary>Reads the header record; null when the file is empty.</summary>
    public IReadOnlyList<string>? ReadHeader()
    {
        var (ok, error) = ReadFields();
        if (!ok) return null;
        if (error is not null) throw new InvalidDataException($"The header line can't be read: {error}.");
        var header = _fields.Select(f => f.Trim()).ToArray();
        return header;
    }

    /// <summary>Reads the next data record, or returns false at the end of the file.</summary>
    public bool TryRead(out CsvRecord record)
    {
        while (true)
        {
            var startLine = _line;
            var (ok, error) = ReadFields();
            if (!ok)
            {
                record = default;
                return false;
            }
            // Blank lines between records are noise in hand-edited exports, not rows.
            if (error is null && _fields.Count == 1 && _fields[0].Length == 0)
            {
                continue;
            }
            _row++;
            record = new CsvRecord(_fields.ToArray(), _row, startLine, error);
            return true;
        }
    }

    private (bool Ok, string? Error) ReadFields()
    {
        _fields.Clear();
        _field.Clear();
        if (!EnsureData()) return (false, null);

        var inQuotes = false;
        var quotedField = false;
        while (true)
        {
            if (_pos >= _len && !EnsureData())
            {
                // End of file ends the last record.
                _fields.Add(_field.ToString());
                return (true, inQuotes ? "a quoted field is not closed before the end of the file" : null);
            }

            if (inQuotes)
            {
                // Copy everything up to the next quote in one go, counting the line breaks inside.
                var chunk = _buffer.AsSpan(_pos, _len - _pos);
                var quote = chunk.IndexOf('"');
                var text = quote < 0 ? chunk : chunk[..quote];
                _line += text.Count('\n');
                _field.Append(text);
                _pos += text.Length;
                if (quote < 0) continue;
                _pos++; // the quote
                if (_pos >= _len) EnsureData();
                if (_pos < _len && _buffer[_pos] == '"')
                {
                    _field.Append('"');
                    _pos++;
                }
                else
                {
                    inQuotes = false;
                }
                continue;
            }

            // Unquoted: jump to the next character that means something.
            var rest = _buffer.AsSpan(_pos, _len - _pos);
            var stop = rest.IndexOfAny(_special);
            if (stop < 0)
            {
                _field.Append(rest);
                _pos = _len;
                continue;
            }
            if (stop > 0)
            {
                _field.Append(rest[..stop]);
                _pos += stop;
            }
            var c = _buffer[_pos++];
            if (c == Separator)
            {
                _fields.Add(_field.ToString());
                _field.Clear();
                quotedField = false;
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r')
                {
                    if (_pos >= _len) EnsureData();
                    if (_pos < _len && _buffer[_pos] == '\n') _pos++;
                }
                _line++;
                _fields.Add(_field.ToString());
                return (true, null);
            }
            else if (_field.Length == 0 && !quotedField)
            {
                inQuotes = true;
                quotedField = true;
            }
            else
            {
                // A stray quote inside an unquoted field is kept as text, as spreadsheet programs do.
                _field.Append('"');
            }
        }
    }

    private bool EnsureData()
    {
        if (_pos < _len) return true;
        _len = _reader.Read(_buffer, 0, _buffer.Length);
        _pos = 0;
        return _len > 0;
    }

    private char DetectSeparator()
    {
        // Look at the first line only (outside quotes): the header decides the separator.
        if (!EnsureData()) return ',';
        int commas = 0, semicolons = 0, tabs = 0;
        var inQuotes = false;
        for (var i = _pos; i < _len; i++)
        {
            var c = _buffer[i];
            if (c == '"') inQuotes = !inQuotes;
            else if (inQuotes) continue;
            else if (c == '\n' || c == '\r') break;
            else if (c == ',') commas++;
            else if (c == ';') semicolons++;
            else if (c == '\t') tabs++;
        }
        if (tabs > commas && tabs > semicolons) return '\t';
        if (semicolons > commas) return ';';
        return ',';
    }

    public void Dispose() => _reader.Dispose();
}
