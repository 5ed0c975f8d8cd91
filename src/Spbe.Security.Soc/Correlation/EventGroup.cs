using Spbe.Security.Soc.Decoding;

namespace Spbe.Security.Soc.Correlation;

/// <summary>The events of one key, oldest to newest, with their numbers, in a ring that grows as needed.</summary>
internal sealed class EventGroup
{
    private (long Number, AnalysisEvent Event)[] _items = new (long, AnalysisEvent)[4];
    private int _head;

    public int Count { get; private set; }

    public void Add(long number, AnalysisEvent e, long oldest)
    {
        DropBefore(oldest);
        if (Count == _items.Length)
        {
            Resize(_items.Length * 2);
        }

        _items[(_head + Count) % _items.Length] = (number, e);
        Count++;
    }

    /// <summary>Drops the entries numbered before <paramref name="oldest"/>; returns how many are left.</summary>
    public int DropBefore(long oldest)
    {
        while (Count > 0 && _items[_head].Number < oldest)
        {
            _items[_head] = default;
            _head = (_head + 1) % _items.Length;
            Count--;
        }

        if (_items.Length > 64 && Count < _items.Length / 4)
        {
            Resize(_items.Length / 2);
        }

        return Count;
    }

    /// <summary>The entries from newest to oldest, stopping at the first numbered before <paramref name="oldest"/>.</summary>
    public View Newest(long oldest) => new(this, oldest);

    private void Resize(int size)
    {
        var items = new (long, AnalysisEvent)[size];
        for (var i = 0; i < Count; i++)
        {
            items[i] = _items[(_head + i) % _items.Length];
        }

        _items = items;
        _head = 0;
    }

    /// <summary>A group read newest first, without allocating.</summary>
    public readonly struct View(EventGroup? group, long oldest)
    {
        public Enumerator GetEnumerator() => new(group, oldest);

        public struct Enumerator(EventGroup? group, long oldest)
        {
            private int _index = -1;

            public AnalysisEvent Current { get; private set; } = null!;

            public bool MoveNext()
            {
                if (group is null || ++_index >= group.Count)
                {
                    return false;
                }

                var (number, e) = group._items[(group._head + group.Count - 1 - _index) % group._items.Length];
                Current = e;
                return number >= oldest;
            }
        }
    }
}
