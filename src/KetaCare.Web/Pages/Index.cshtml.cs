using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages;

/// <summary>The dashboard: today's sessions, active alerts, patients awaiting review.</summary>
public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
