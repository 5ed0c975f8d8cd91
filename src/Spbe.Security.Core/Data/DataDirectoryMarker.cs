using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spbe.Security.Data;

/// <summary>The content of <c>spbe-data.json</c>: which layout the directory has and which master key it belongs to.</summary>
internal sealed record DataDirectoryMarker(
    [property: JsonPropertyName("layout")] int Layout,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("masterKeyId")] string MasterKeyId)
{
    public const int CurrentLayout = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static DataDirectoryMarker? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        DataDirectoryMarker? marker;
        try
        {
            marker = JsonSerializer.Deserialize<DataDirectoryMarker>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new SpbeException(DataErrors.MarkerCorrupt, $"{path} is damaged ({ex.Message}); restore it from backup", ex);
        }

        if (marker is null || marker.Layout < 1 || string.IsNullOrEmpty(marker.MasterKeyId))
        {
            throw new SpbeException(DataErrors.MarkerCorrupt, $"{path} is damaged (missing layout or master key id); restore it from backup");
        }

        if (marker.Layout > CurrentLayout)
        {
            throw new SpbeException(DataErrors.MarkerCorrupt,
                $"{path} has layout {marker.Layout}, written by a newer Spbe.Security; this version understands layout {CurrentLayout}");
        }

        return marker;
    }

    public void Write(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(temp, path, overwrite: false);
    }
}
