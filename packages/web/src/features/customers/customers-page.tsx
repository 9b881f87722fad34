import { usePath } from '../../router.tsx';
import { CustomerView } from './customer-view.tsx';
import { CustomerSearchView } from './search-view.tsx';
import './customers.css';

/** /customers: the search; /customers/<id>: that customer's 360 page. */
export function CustomersPage() {
  const [path, navigate] = usePath();
  const m = /^\/customers\/([^/]+)\/?$/.exec(path);
  if (m) {
    let id = m[1]!;
    try {
      id = decodeURIComponent(id);
    } catch {
      // A malformed escape: look the raw text up; the API answers 404 naming it.
    }
    return <CustomerView key={id} id={id} navigate={navigate} />;
  }
  return <CustomerSearchView navigate={navigate} />;
}
