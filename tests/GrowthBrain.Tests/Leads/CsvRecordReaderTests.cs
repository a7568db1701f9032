using System.Text;
using GrowthBrain.Data;
using GrowthBrain.Leads.Import;

namespace GrowthBrain.Tests.Leads;

public sealed class CsvRecordReaderTests
{
    private static (CsvRecordReader Reader, IReadOnlyList<string> Header) Open(string text, bool bom = false)
    {
        var bytes = (bom ? new byte[] { 0xEF, 0xBB, 0xBF } : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var reader = new CsvRecordReader(new MemoryStream(bytes));
        return (reader, reader.ReadHeader()!);
    }

    private static List<CsvRecord> All(CsvRecordReader reader)
    {
        var list = new List<CsvRecord>();
        while (reader.TryRead(out var r)) list.Add(r);
        return list;
    }

    [Theory]
    [InlineData("a,b;c\n1,2;3\n", ',')]
    [InlineData("a;b;c,d\n1;2;3,4\n", ';')]
    [InlineData("a\tb\tc;d\n1\t2\t3;4\n", '\t')]
    [InlineData("\"a;b;c\",d\n1,2\n", ',')]
    public void The_separator_is_whatever_the_header_uses_most(string text, char expected) =>
        Open(text).Reader.Separator.ShouldBe(expected);

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_first_heading() =>
        Open("Email,Name\nx@y.z,X\n", bom: true).Header[0].ShouldBe("Email");

    [Fact]
    public void Quoted_fields_keep_separators_quotes_and_line_breaks_and_rows_know_their_line()
    {
        var (reader, _) = Open("a,b\r\n\"1,\"\"x\"\"\r\ny\",2\r\n3,4\r\n");

        var rows = All(reader);

        rows.Count.ShouldBe(2);
        rows[0].Fields.ShouldBe(["1,\"x\"\r\ny", "2"]);
        rows[0].LineNumber.ShouldBe(2);
        rows[1].Fields.ShouldBe(["3", "4"]);
        rows[1].LineNumber.ShouldBe(4);
        rows[1].RowNumber.ShouldBe(2);
    }

    [Fact]
    public void A_quote_left_open_at_the_end_is_an_error_on_that_row()
    {
        var rows = All(Open("a,b\n1,\"never closed\n").Reader);

        rows.Single().Error.ShouldBe("a quoted field is not closed before the end of the file");
    }

    [Fact]
    public void Blank_lines_and_a_missing_final_newline_are_fine()
    {
        var rows = All(Open("a,b\n\n1,2\n\n3,4").Reader);

        rows.Select(r => r.Fields[0]).ShouldBe(["1", "3"]);
    }

    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+1 555 0100", "'+1 555 0100")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("plain", "plain")]
    public void Cells_that_spreadsheets_would_run_as_formulas_are_neutralised(string value, string expected) =>
        CsvText.Neutralise(value).ShouldBe(expected);
}
