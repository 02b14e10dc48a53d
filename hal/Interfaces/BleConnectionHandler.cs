namespace SmartKey.Hal
{
    public delegate void BleConnectionHandler(object sender, bool connected);
}
