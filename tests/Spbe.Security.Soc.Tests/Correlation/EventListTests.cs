using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Spbe.Security.Soc.Decoding;
using Spbe.Security.Soc.Rules;

namespace Spbe.Security.Soc.Correlation;

public sealed class EventListTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Whatever is pushed, and whenever a rule first reads the list, a read gives what a plain list of the last
    /// <c>capacity</c> events would: newest first, of the same agent (unless global), with the rule's same_* values
    /// present and equal.
    /// </summary>
    [Property(MaxTest = 3000, Arbitrary = [typeof(Steps)])]
    public bool For_GivesTheLastEventsOfTheSameKey_NewestFirst(Steps.Script script)
    {
        var list = new EventList(script.Capacity);
        var pushed = new List<AnalysisEvent>();
        var rules = script.Rules.Select(r => Rule((CorrelatedField)r.Same, r.Global)).ToArray();
        foreach (var step in script.Steps)
        {
            var e = Event(step.Agent, step.SrcIp, step.User, pushed.Count);
            if (step.Push)
            {
                list.Push(e);
                pushed.Add(e);
                continue;
            }

            var rule = rules[step.Rule % rules.Length];
            var read = new List<AnalysisEvent>();
            foreach (var previous in list.For(rule, e))
            {
                read.Add(previous);
            }

            var expected = Enumerable.Reverse(pushed).Take(script.Capacity).Where(p => SameKey(rule, e, p)).ToList();
            if (!read.SequenceEqual(expected))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void Count_StaysBounded_WhateverTheKeys()
    {
        const int capacity = 64;
        var list = new EventList(capacity);
        Rule[] rules = [Rule(CorrelatedField.SrcIp, false), Rule(CorrelatedField.DstUser, true), Rule(CorrelatedField.SrcIp | CorrelatedField.DstUser, false)];
        for (var i = 0; i < 20_000; i++)
        {
            var e = Event($"{i % 3:000}", $"10.0.{i / 256 % 256}.{i % 256}", $"user{i % 97}", i);
            list.Push(e);
            foreach (var rule in rules)
            {
                _ = list.For(rule, e);
            }

            Assert.InRange(list.Count, 1, capacity * (1 + rules.Length));
        }

        // Note: the newest events are all still there, in every view.
        var last = Event("001", "10.0.78.31", "user19", 0);
        var seen = 0;
        foreach (var previous in list.For(rules[0], last))
        {
            Assert.Equal("10.0.78.31", previous[StaticField.SrcIp]);
            seen++;
        }

        Assert.Equal(1, seen);
    }

    private static bool SameKey(Rule rule, AnalysisEvent current, AnalysisEvent previous) =>
        (rule.GlobalFrequency || current.AgentId == previous.AgentId)
        && rule.SameFlags.All(f => RuleSet.Value(current, f) is { } a && RuleSet.Value(previous, f) is { } b && a == b);

    private static Rule Rule(CorrelatedField same, bool global)
    {
        var rule = new Rule(100, "test", 1) { Same = same, GlobalFrequency = global };
        rule.Freeze();
        return rule;
    }

    private static AnalysisEvent Event(string agent, string? srcip, string? user, int second)
    {
        var e = new AnalysisEvent(PreDecoder.Decode("sshd[1]: test"), "test", agent, Start.AddSeconds(second));
        e[StaticField.SrcIp] = srcip;
        e[StaticField.DstUser] = user;
        return e;
    }

    public static class Steps
    {
        public sealed record Step(bool Push, string Agent, string? SrcIp, string? User, int Rule);

        public sealed record Script(int Capacity, (int Same, bool Global)[] Rules, Step[] Steps)
        {
            public override string ToString() =>
                $"capacity {Capacity}, rules [{string.Join(", ", Rules)}], steps [{string.Join(", ", Steps.Select(s => s.Push ? $"push {s.Agent}/{s.SrcIp}/{s.User}" : $"read rule {s.Rule} as {s.Agent}/{s.SrcIp}/{s.User}"))}]";
        }

        public static Arbitrary<Script> Scripts()
        {
            var value = Gen.Elements<string?>(null, "a", "b", "c");
            var step = from push in Gen.Frequency((3, Gen.Constant(true)), (2, Gen.Constant(false)))
                       from agent in Gen.Elements("001", "002")
                       from srcip in value
                       from user in value
                       from index in Gen.Choose(0, 2)
                       select new Step(push, agent, srcip, user, index);
            var same = Gen.Elements(CorrelatedField.None, CorrelatedField.SrcIp, CorrelatedField.DstUser, CorrelatedField.SrcIp | CorrelatedField.DstUser).Select(f => (int)f);
            var rule = from s in same from g in Gen.Elements(true, false) select (s, g);
            var script = from capacity in Gen.Choose(1, 6)
                         from rules in rule.ArrayOf(3)
                         from steps in step.ListOf()
                         select new Script(capacity, rules, [.. steps.Take(60)]);
            return script.ToArbitrary();
        }
    }
}
