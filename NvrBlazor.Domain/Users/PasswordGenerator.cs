using System.Security.Cryptography;

namespace NvrBlazor.Domain.Users;

/// <summary>Generates passwords for first-run admin accounts and resets: long, random, easy to type.</summary>
public static class PasswordGenerator
{
    // No 0/O, 1/l/I: the generated admin password is read from a log or a file and typed by hand.
    public const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>20 characters of a 57-letter alphabet: about 116 bits of entropy.</summary>
    public static string Generate(int length = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 12);
        return RandomNumberGenerator.GetString(Alphabet, length);
    }
}
