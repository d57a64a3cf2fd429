namespace Dockyard.Server.Control.Events;

/// <summary>The containers, services and nodes of one engine as last known, keyed by <c>type:id</c> (serialized to the lease row).</summary>
internal sealed class KnownObjects
{
    public Dictionary<string, KnownObject> Objects { get; set; } = new(StringComparer.Ordinal);

    public static string Key(string type, string id) => type + ":" + id;

    public KnownObject? Find(string type, string id) => Objects.GetValueOrDefault(Key(type, id));

    public void Set(KnownObject known) => Objects[Key(known.Type, known.Id)] = known;

    public void Remove(string type, string id) => Objects.Remove(Key(type, id));

    public KnownObjects Copy() => new() { Objects = new Dictionary<string, KnownObject>(Objects, StringComparer.Ordinal) };
}
