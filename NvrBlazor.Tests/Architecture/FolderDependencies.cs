using Mono.Cecil;
using Mono.Cecil.Cil;

namespace NvrBlazor.Tests.Architecture;

/// <summary>
/// Which top-level folders of an assembly use which, read from the compiled code (Mono.Cecil): a folder is the first
/// namespace part under the assembly's root (NvrBlazor.Web.Recording.Pages counts as Recording). A type uses another
/// through its base types, members' signatures, attributes, and every type, method and field its code touches, the
/// compiler's generated classes (lambdas, async state machines, Razor's render trees) counted as their parent's.
/// </summary>
public sealed class FolderDependencies
{
    /// <summary>folder → used folder → the type-level uses behind it ("CameraRecorder → MotionAnalyzer").</summary>
    public IReadOnlyDictionary<string, Dictionary<string, SortedSet<string>>> Uses { get; }

    private FolderDependencies(IReadOnlyDictionary<string, Dictionary<string, SortedSet<string>>> uses) => Uses = uses;

    /// <summary>A graph given by hand ("A" uses "B" because of "why"), to test the cycle finding itself.</summary>
    public static FolderDependencies Of(params (string From, string To, string Why)[] uses) =>
        new(uses.GroupBy(u => u.From).ToDictionary(g => g.Key, g => g.GroupBy(u => u.To)
            .ToDictionary(t => t.Key, t => new SortedSet<string>(t.Select(u => u.Why), StringComparer.Ordinal))));

    public static FolderDependencies Read(string assemblyPath, string rootNamespace)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var uses = new Dictionary<string, Dictionary<string, SortedSet<string>>>();
        foreach (var type in module.GetTypes())
        {
            var owner = Outermost(type);
            if (FolderOf(owner.Namespace, rootNamespace) is not { } from)
                continue;
            foreach (var used in UsedTypes(type))
            {
                var target = Outermost(used);
                if (target.Scope.Name != module.Assembly.Name.Name && target.Scope is not ModuleDefinition)
                    continue;
                if (FolderOf(target.Namespace, rootNamespace) is not { } to || to == from)
                    continue;
                if (!uses.TryGetValue(from, out var byFolder))
                    uses[from] = byFolder = [];
                if (!byFolder.TryGetValue(to, out var why))
                    byFolder[to] = why = new SortedSet<string>(StringComparer.Ordinal);
                why.Add($"{owner.Name} → {target.Name}");
            }
        }
        return new FolderDependencies(uses);
    }

    /// <summary>Every group of folders that use each other, directly or round about (Tarjan's strongly connected components).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<IReadOnlyList<string>>();
        var next = 0;
        var nodes = Uses.Keys.Concat(Uses.Values.SelectMany(v => v.Keys)).Distinct().Order(StringComparer.Ordinal).ToList();

        void Visit(string node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var to in Uses.GetValueOrDefault(node)?.Keys.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>())
            {
                if (!index.ContainsKey(to))
                {
                    Visit(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
                else if (onStack.Contains(to))
                {
                    low[node] = Math.Min(low[node], index[to]);
                }
            }
            if (low[node] != index[node])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);
            if (component.Count > 1)
                cycles.Add(component.Order(StringComparer.Ordinal).ToList());
        }

        foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
            Visit(node);
        return cycles;
    }

    /// <summary>The uses inside one cycle, folder pair by pair, for a failure message a reader can act on.</summary>
    public string Explain(IReadOnlyList<string> cycle) =>
        string.Join("\n", cycle.SelectMany(from => (Uses.GetValueOrDefault(from) ?? []).Where(u => cycle.Contains(u.Key))
            .Select(u => $"  {from} → {u.Key}: {string.Join(", ", u.Value.Take(6))}{(u.Value.Count > 6 ? $" (+{u.Value.Count - 6})" : "")}")));

    private static string? FolderOf(string ns, string root) =>
        ns.StartsWith(root + ".", StringComparison.Ordinal) ? ns[(root.Length + 1)..].Split('.')[0] : null;

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
            type = type.DeclaringType;
        return type;
    }

    private static IEnumerable<TypeReference> UsedTypes(TypeDefinition type) => Mentioned(type).SelectMany(Expand);

    /// <summary>Every type a definition names: in its signatures and attributes, and in its code's operands.</summary>
    private static IEnumerable<TypeReference?> Mentioned(TypeDefinition type)
    {
        yield return type.BaseType;
        foreach (var i in type.Interfaces)
            yield return i.InterfaceType;
        foreach (var a in type.CustomAttributes.Concat(type.Properties.SelectMany(p => p.CustomAttributes)))
            yield return a.AttributeType;
        foreach (var field in type.Fields)
            yield return field.FieldType;
        foreach (var property in type.Properties)
            yield return property.PropertyType;
        foreach (var method in type.Methods)
        {
            foreach (var t in Signature(method))
                yield return t;
            if (!method.HasBody)
                continue;
            foreach (var variable in method.Body.Variables)
                yield return variable.VariableType;
            foreach (var instruction in method.Body.Instructions)
            {
                var operands = instruction.Operand switch
                {
                    TypeReference t => [t],
                    MethodReference m => Signature(m).Append(m.DeclaringType).Concat(m is GenericInstanceMethod g ? g.GenericArguments : []),
                    FieldReference f => [f.DeclaringType, f.FieldType],
                    _ => [],
                };
                foreach (var t in operands)
                    yield return t;
            }
        }
    }

    private static IEnumerable<TypeReference> Signature(MethodReference method) =>
        method.Parameters.Select(p => p.ParameterType).Prepend(method.ReturnType);

    private static IEnumerable<TypeReference> Expand(TypeReference? type)
    {
        switch (type)
        {
            case null or GenericParameter:
                yield break;
            case GenericInstanceType generic:
                yield return generic.ElementType;
                foreach (var argument in generic.GenericArguments)
                    foreach (var t in Expand(argument)) yield return t;
                break;
            case TypeSpecification specification: // arrays, by-ref, pointers, nullable-annotated
                foreach (var t in Expand(specification.ElementType)) yield return t;
                break;
            default:
                yield return type;
                break;
        }
    }
}
