using NvrBlazor.Domain.Detection;

namespace NvrBlazor.Tests.Domain.Detection;

public class RgbDrawingTests
{
    private static (byte, byte, byte) At(byte[] rgb, int width, int x, int y) => (rgb[(y * width + x) * 3], rgb[(y * width + x) * 3 + 1], rgb[(y * width + x) * 3 + 2]);

    [Fact]
    public void An_outline_is_drawn_inside_the_box_edges_and_leaves_the_inside_and_outside_alone()
    {
        var rgb = new byte[10 * 8 * 3];
        RgbDrawing.Outline(rgb, 10, 8, new PixelBox(2, 1, 6, 5), thickness: 1, (255, 214, 0));
        Assert.Equal((255, 214, 0), At(rgb, 10, 2, 1));  // top left corner
        Assert.Equal((255, 214, 0), At(rgb, 10, 7, 5));  // bottom right: right 8 and bottom 6 are exclusive
        Assert.Equal((255, 214, 0), At(rgb, 10, 5, 1));
        Assert.Equal((255, 214, 0), At(rgb, 10, 2, 3));
        Assert.Equal((0, 0, 0), At(rgb, 10, 4, 3));      // inside
        Assert.Equal((0, 0, 0), At(rgb, 10, 8, 3));      // outside, right
        Assert.Equal((0, 0, 0), At(rgb, 10, 1, 1));      // outside, left
        Assert.Equal(2 * 6 + 2 * 3, Enumerable.Range(0, 80).Count(i => rgb[i * 3] == 255));
    }

    [Fact]
    public void A_box_reaching_past_the_picture_is_cut_to_it_and_one_wholly_outside_draws_nothing()
    {
        var rgb = new byte[10 * 8 * 3];
        RgbDrawing.Outline(rgb, 10, 8, new PixelBox(-5, -5, 100, 100), thickness: 2, (1, 2, 3));
        Assert.Equal((1, 2, 3), At(rgb, 10, 0, 0));
        Assert.Equal((1, 2, 3), At(rgb, 10, 9, 7));
        Assert.Equal((0, 0, 0), At(rgb, 10, 4, 4));
        var untouched = new byte[10 * 8 * 3];
        RgbDrawing.Outline(untouched, 10, 8, new PixelBox(20, 20, 5, 5), thickness: 2, (1, 2, 3));
        Assert.All(untouched, b => Assert.Equal(0, b));
        Assert.Throws<ArgumentException>(() => RgbDrawing.Outline(new byte[5], 10, 8, new PixelBox(0, 0, 1, 1), 1, (1, 2, 3)));
    }

    [Theory]
    [InlineData(320, 3)]
    [InlineData(768, 3)]
    [InlineData(1280, 5)]
    [InlineData(1920, 8)]
    public void The_line_is_thick_enough_to_see_at_any_size(int width, int thickness) => Assert.Equal(thickness, RgbDrawing.ThicknessFor(width));
}
