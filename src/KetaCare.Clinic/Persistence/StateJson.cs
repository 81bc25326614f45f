using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace KetaCare.Clinic.Persistence;

/// <summary>
/// Serialises a domain aggregate (patient, plan, session, assessment) to the JSON document stored beside its
/// indexed columns, and restores it exactly. Domain types are written field by field — including private
/// fields and the backing fields of get-only properties — and restored without running a constructor, so the
/// domain keeps its invariant-checking factories and needs no public setters or parameterless constructors
/// for storage. Numbers are written in the invariant round-trip form; enums by name. Thread-safe.
/// <para>
/// The field names of the domain types are therefore the storage format. A field that a stored document does not
/// know is refused loudly rather than dropped; renaming or adding a field of a stored type needs a migration of
/// the documents (a field missing from an old document would be restored as null or zero).
/// </para>
/// </summary>
internal static class StateJson
{
    /// <summary>The serializer options: field-wise for KetaCare types, enums as strings, no indentation, Unicode letters unescaped.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        // Names such as "Yılmaz" stay readable in the database; characters that matter in HTML are still escaped.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        IncludeFields = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(), new FieldwiseConverterFactory() },
    };

    /// <summary>The document of <paramref name="value"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Restores a value from its document; throws <see cref="JsonException"/> when the document is damaged.</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"stored {typeof(T).Name} document is empty.");

    /// <summary>
    /// The document format of <paramref name="roots"/>: one line "Type.field: FieldType" per field of every KetaCare
    /// type reachable from them, sorted. A test compares it with the committed format so that a change to a stored
    /// domain type is noticed before it meets old documents.
    /// </summary>
    public static IReadOnlyList<string> DescribeFormat(params Type[] roots)
    {
        var seen = new HashSet<Type>();
        var lines = new List<string>();
        var queue = new Queue<Type>(roots);
        while (queue.TryDequeue(out var type))
        {
            if (type.IsArray)
            {
                queue.Enqueue(type.GetElementType()!);
                continue;
            }

            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    queue.Enqueue(argument);
                }
            }

            if (!IsStored(type) || !seen.Add(type))
            {
                continue;
            }

            foreach (var field in Fields(type))
            {
                lines.Add($"{Name(type)}.{CleanName(field.Name)}: {Name(field.FieldType)}");
                queue.Enqueue(field.FieldType);
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static bool IsStored(Type type) =>
        type.Namespace?.StartsWith("KetaCare.", StringComparison.Ordinal) == true
        && !type.IsEnum && !type.IsAbstract && !type.IsInterface
        && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>));

    private static IEnumerable<FieldInfo> Fields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).OrderBy(f => f.MetadataToken))
            {
                yield return f;
            }
        }
    }

    // "<Name>k__BackingField" → "Name"; "_all" → "all".
    private static string CleanName(string field) =>
        field.StartsWith('<') ? field[1..field.IndexOf('>', StringComparison.Ordinal)] : field.TrimStart('_');

    private static string Name(Type t) => t.IsGenericType
        ? t.Name[..t.Name.IndexOf('`', StringComparison.Ordinal)] + "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">"
        : t.Name;

    private sealed class FieldwiseConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => IsStored(typeToConvert);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(FieldwiseConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class FieldwiseConverter<T> : JsonConverter<T>
    {
        private static readonly (string Name, FieldInfo Field)[] All = [.. Fields(typeof(T)).Select(f => (CleanName(f.Name), f))];
        private static readonly Dictionary<string, FieldInfo> ByName = All.ToDictionary(f => f.Name, f => f.Field, StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"{typeof(T).Name}: expected an object.");
            }

            var box = RuntimeHelpers.GetUninitializedObject(typeof(T));
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (!ByName.TryGetValue(name, out var field))
                {
                    throw new JsonException($"{typeof(T).Name}: unknown field \"{name}\" in a stored document.");
                }

                field.SetValue(box, JsonSerializer.Deserialize(ref reader, field.FieldType, options));
            }

            return (T)box;
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (name, field) in All)
            {
                writer.WritePropertyName(name);
                JsonSerializer.Serialize(writer, field.GetValue(value), field.FieldType, options);
            }

            writer.WriteEndObject();
        }
    }
}
