Attribute VB_Name = "XLJiaoyan"
' The one ribbon callback of the xl-jiaoyan workbook: every button of the tab passes
' its id to Python, which decides what to do (xl_jiaoyan.excel.on_ribbon). RunPython
' comes from the xlwings module of this workbook; the Python side shows progress in
' the status bar and every problem as an alert.
Option Explicit

Sub XLJY_OnRibbon(control As IRibbonControl)
    RunPython "import xl_jiaoyan.excel as x; x.on_ribbon('" & control.Id & "')"
End Sub
