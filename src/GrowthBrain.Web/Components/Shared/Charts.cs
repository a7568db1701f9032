using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace GrowthBrain.Web.Components.Shared;

/// <summary>One look for every chart: compact margins for a laptop screen, no Plotly logo, PNG download kept in the mode bar.</summary>
public static class Charts
{
    public static Config Config() => new() { Responsive = true, DisplayLogo = false };

    public static Plotly.Blazor.Layout Layout(string xTitle, string yTitle, string? yFormat = null, decimal height = 320, IList<object>? yRange = null) => new()
    {
        Height = height,
        Margin = new Margin { L = 60, R = 20, T = 20, B = 60 },
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle }, AutoMargin = Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle }, TickFormat = yFormat, Range = yRange, AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True }],
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = 1.12m }],
    };
}
