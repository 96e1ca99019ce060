using NvrBlazor.Domain.Users;

namespace NvrBlazor.Tests.Domain.Users;

public class PasswordGeneratorTests
{
    [Fact]
    public void Generated_passwords_are_long_unambiguous_and_different_each_time()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => PasswordGenerator.Generate()).ToList();
        Assert.All(passwords, p =>
        {
            Assert.Equal(20, p.Length);
            Assert.All(p, c => Assert.Contains(c, PasswordGenerator.Alphabet));
            Assert.DoesNotContain('0', p);
            Assert.DoesNotContain('l', p);
        });
        Assert.Equal(passwords.Count, passwords.Distinct().Count());
    }

    [Fact]
    public void Short_passwords_cannot_be_generated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PasswordGenerator.Generate(8));
    }
}
