namespace GrowthBrain.Tests.Infrastructure;

/// <summary>A temp folder per test for CSV files, rejects files and mapping files.</summary>
public sealed class TempFiles : IDisposable
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "growthbrain-tests", "files-" + Guid.NewGuid().ToString("N"));

    public TempFiles() => Directory.CreateDirectory(Folder);

    public string Write(string name, string content, bool bom = false)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content, new System.Text.UTF8Encoding(bom));
        return path;
    }

    public string PathOf(string name) => Path.Combine(Folder, name);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
