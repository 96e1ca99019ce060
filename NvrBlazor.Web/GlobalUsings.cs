// The two folders every capability may use: Common (storage folders, page updates, dialogs, setting checks, server
// counters, the WebSocket reader) and Data (the database context and its rows). Nothing in them uses a capability
// folder (NvrBlazor.Tests/Architecture/FolderCycleTests.cs).
global using NvrBlazor.Web.Common;
global using NvrBlazor.Web.Data;
