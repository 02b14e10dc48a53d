namespace SmartKey.Hal
{
    public delegate void ConsoleDataHandler(object sender, byte[] data, int count);
}
