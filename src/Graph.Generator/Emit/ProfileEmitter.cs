using System.Globalization;
using Graph.Generator.Schedule;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis.CSharp;

namespace Graph.Generator.Emit;

/// <summary>
/// The model's step profile: its <c>Profile</c> property, the layout naming every step of every method (in the
/// schedule's method order), and the line after each step that records its time when a profile is set. With no
/// profile (the default) a step costs one test of a local for null more.
/// </summary>
internal static class ProfileEmitter
{
    private const string Field = "stepProfile";

    /// <summary>The layout field and the <c>Profile</c> property.</summary>
    public static void WriteProperty(ModelSpec model, CodeWriter writer, ModelSchedule schedule)
    {
        writer.Line();
        writer.Line("/// <summary>Each step of the generated methods, named as the comment above its code names it: what <see cref=\"Profile\"/> times.</summary>");
        writer.Line($"private static readonly {ModelEmitter.Runtime}.StepLayout stepLayout = new(");
        writer.Line($"    \"{model.ClassName}\"{(schedule.Methods.Count > 0 ? "," : ");")}");
        for (int m = 0; m < schedule.Methods.Count; m++)
        {
            var method = schedule.Methods[m];
            writer.Line($"    (\"{MethodName(method)}\", new string[]");
            writer.Line("    {");
            foreach (var step in method.Steps)
            {
                writer.Line($"        {SymbolDisplay.FormatLiteral(Name(step), quote: true)},");
            }

            writer.Line($"    }}){(m + 1 < schedule.Methods.Count ? "," : ");")}");
        }

        writer.Line();
        writer.Line($"private {ModelEmitter.Runtime}.StepProfile? {Field};");
        writer.Line();
        writer.Line($"/// <summary>Set to a <see cref=\"{ModelEmitter.Runtime}.StepProfile\"/> to time each step of this model's methods where it runs (<see cref=\"{ModelEmitter.Runtime}.StepProfile.Steps\"/>); null, the default, times nothing. A profile times one model class.</summary>");
        writer.Line($"/// <exception cref=\"global::System.InvalidOperationException\">The profile already times another model class.</exception>");
        using (writer.Block($"public {ModelEmitter.Runtime}.StepProfile? Profile"))
        {
            writer.Line($"get => this.{Field};");
            using (writer.Block("set"))
            {
                writer.Line("value?.Attach(stepLayout);");
                writer.Line($"this.{Field} = value;");
            }
        }
    }

    /// <summary>The method's name in the layout: <c>Backward</c> for the body Backward and TrainStep share.</summary>
    private static string MethodName(MethodSchedule method) => method.Kind == Pipeline.EntryKind.Backward ? "Backward" : method.Name;

    /// <summary>A step's name: its node, what it computes and the source expression; a fused pair names both nodes.</summary>
    internal static string Name(Step step)
    {
        var source = step.Source;
        string name = $"%{source.Id.ToString(CultureInfo.InvariantCulture)} {source.Description}: {source.Origin}";
        var consumer = step switch
        {
            ConsumedProductStep product => product.Consumer.Source,
            ConsumedMaskStep mask => mask.Consumer.Source,
            _ => null,
        };
        return consumer is null ? name : $"{name}, handed to %{consumer.Id.ToString(CultureInfo.InvariantCulture)} {consumer.Description}";
    }

    /// <summary>The locals a method's body records its steps with: the profile as the method began, and the time the current step began.</summary>
    public static (string Profile, string Mark) WriteStart(CodeWriter writer, MemoryNames names)
    {
        string profile = names.Local("profile"), mark = names.Local("profileMark");
        writer.Line($"var {profile} = this.{Field};");
        writer.Line($"long {mark} = {profile} is null ? 0 : global::System.Diagnostics.Stopwatch.GetTimestamp();");
        return (profile, mark);
    }

    /// <summary>The line after step <paramref name="step"/> of method <paramref name="method"/> (its place in the schedule).</summary>
    public static void WriteRecord(CodeWriter writer, (string Profile, string Mark) locals, int method, int step) =>
        writer.Line($"if ({locals.Profile} is not null) {locals.Mark} = {locals.Profile}.Record({method.ToString(CultureInfo.InvariantCulture)}, {step.ToString(CultureInfo.InvariantCulture)}, {locals.Mark});");
}
