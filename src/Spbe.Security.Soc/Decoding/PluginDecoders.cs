using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Spbe.Security.Soc.Decoding;

/// <summary>
/// Wazuh's built-in decoders named by <c>&lt;plugin_decoder&gt;</c>. <c>JSON_Decoder</c> is implemented: the first
/// JSON object of the text (text after it is ignored) becomes fields, nested keys joined with dots, numbers printed
/// as Wazuh prints them, arrays as their JSON text (or comma-joined with <c>json_array_structure csv</c>), nulls as
/// <c>null</c> unless discarded. The others (PF, SonicWall, SymantecWS, OSSECAlert) are accepted and decode nothing
/// yet; loading them is reported as a problem.
/// </summary>
internal static class PluginDecoders
{
    public static readonly string[] Known = ["JSON_Decoder", "PF_Decoder", "SonicWall_Decoder", "SymantecWS_Decoder", "OSSECAlert_Decoder"];

    /// <summary>The plugins that decode fields; loading a decoder that names another is reported (SOC-0501).</summary>
    public static readonly string[] Implemented = ["JSON_Decoder"];

    /// <summary>Runs plugin <paramref name="name"/>; its offset and JSON settings are those of the event's decoder, as
    /// in Wazuh.</summary>
    public static void Run(string name, AnalysisEvent e, string log)
    {
        if (name != "JSON_Decoder" || e.Decoder is not { } decoder)
        {
            return;
        }

        var start = decoder.PluginOffset switch
        {
            DecoderOffset.None => 0,
            DecoderOffset.AfterParent => e.AfterParent,
            DecoderOffset.AfterPrematch => e.AfterPrematch,
            _ => -1,
        };
        if (start < 0 || start > log.Length)
        {
            return;
        }

        DecodeJson(e, log[start..], decoder.JsonNullDiscard, decoder.JsonArrayCsv);
    }

    /// <summary>Adds the fields of the first JSON object in <paramref name="text"/> to <paramref name="e"/>.</summary>
    internal static void DecodeJson(AnalysisEvent e, string text, bool discardNulls, bool arraysAsCsv)
    {
        var bytes = Encoding.UTF8.GetBytes(text.TrimStart());
        JsonDocument document;
        try
        {
            // Note: only the first value counts; what follows it is ignored (Wazuh parses without requiring the end).
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            reader.Skip();
            document = JsonDocument.Parse(bytes.AsMemory(0, (int)reader.BytesConsumed), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            Walk(e, document.RootElement, "", discardNulls, arraysAsCsv);
        }
    }

    private static void Walk(AnalysisEvent e, JsonElement element, string path, bool discardNulls, bool arraysAsCsv)
    {
        foreach (var property in element.EnumerateObject())
        {
            var key = path.Length == 0 ? property.Name : path + "." + property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    Walk(e, value, key, discardNulls, arraysAsCsv);
                    break;
                case JsonValueKind.Null:
                    if (!discardNulls)
                    {
                        Put(e, key, "null");
                    }

                    break;
                case JsonValueKind.Array:
                    if (arraysAsCsv)
                    {
                        var parts = value.EnumerateArray().Where(v => v.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)).Select(Scalar).ToList();
                        if (parts.Count > 0)
                        {
                            Put(e, key, string.Join(',', parts));
                        }
                    }
                    else
                    {
                        Put(e, key, "[" + string.Join(", ", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? JsonSerializer.Serialize(v.GetString()) : Scalar(v))) + "]");
                    }

                    break;
                default:
                    Put(e, key, Scalar(value));
                    break;
            }
        }
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Number => Number(value.GetDouble()),
        _ => value.GetRawText(),
    };

    /// <summary>Whole numbers within 32 bits as integers, everything else with six decimals (C's %f).</summary>
    private static string Number(double d) =>
        d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue
            ? ((int)d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("F6", CultureInfo.InvariantCulture);

    private static void Put(AnalysisEvent e, string key, string value)
    {
        if (StaticFields.FromJsonKey(key) is { } field)
        {
            e[field] = value;
        }
        else
        {
            e.AddField(key, value);
        }
    }
}
